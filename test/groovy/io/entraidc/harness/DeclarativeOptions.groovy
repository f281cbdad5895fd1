package io.entraidc.harness

/**
 * The options Declarative accepts and how it checks them before the build runs
 * (pipeline-model-definition: ModelValidatorImpl and its Messages.properties; the option
 * types are the Declarative options of https://www.jenkins.io/doc/book/pipeline/syntax/#options).
 * A bad option fails the whole build before any stage, as a compilation error
 * ("WorkflowScript: Invalid parameter ..."). Wrapper options (timeout, timestamps, retry, and
 * lockable-resources' lock, a Declarative option since its LockStep is a block step: the
 * plugin's README, "options { lock resource: ... }") wrap the stages and post of the pipeline, or one stage; job properties (disableConcurrentBuilds,
 * buildDiscarder) are only allowed on the pipeline and are recorded.
 */
class DeclarativeOptions {
    static final List<String> WRAPPERS = ['timeout', 'timestamps', 'retry', 'lock']
    static final List<String> JOB_PROPERTIES = ['disableConcurrentBuilds', 'buildDiscarder']
    /**
     * Every Declarative option of pipeline-model-definition (options/impl/*.java: their @Symbol,
     * constructor parameters and canUseInStage), and ansicolor's ansiColor.
     */
    static final List<String> OTHER = ['skipStagesAfterUnstable', 'skipDefaultCheckout', 'ansiColor', 'disableRestartFromStage',
                                       'checkoutToSubdirectory', 'parallelsAlwaysFailFast', 'quietPeriod']
    /** Those whose descriptor's canUseInStage answers true. */
    static final List<String> IN_STAGE = ['skipDefaultCheckout', 'checkoutToSubdirectory']
    /** Parameters of the options that are not steps (Jenkins core and the declaring plugins). */
    static final Map<String, Map<String, Class>> PARAMETERS = [
            timestamps             : [:],
            disableConcurrentBuilds: [abortPrevious: Boolean.TYPE],
            buildDiscarder         : [strategy: Map],
            logRotator             : [daysToKeepStr: String, numToKeepStr: String, artifactDaysToKeepStr: String,
                                      artifactNumToKeepStr: String],
            skipStagesAfterUnstable: [:],
            skipDefaultCheckout    : [skipDefaultCheckout: Boolean.TYPE],
            ansiColor              : [colorMapName: String],
            disableRestartFromStage: [:],
            checkoutToSubdirectory : [subdirectory: String],
            parallelsAlwaysFailFast: [:],
            quietPeriod            : [quietPeriod: Integer.TYPE],
    ]

    static void check(List<Map> options, String level) {
        List<String> allowed = level == 'pipeline' ? WRAPPERS + JOB_PROPERTIES + OTHER : WRAPPERS + IN_STAGE
        Set<String> seen = []
        for (Map option : options) {
            String name = option.option
            if (!allowed.contains(name)) {
                fail("Invalid option type \"${name}\". Valid option types: ${allowed.sort()}")
            }
            if (!seen.add(name)) {
                fail("Duplicate option name: \"${name}\"")
            }
            checkArguments(name, (List) option.args)
        }
    }

    static List<Map> wrappers(List<Map> options) {
        return options.findAll { it.option in WRAPPERS }
    }

    private static void checkArguments(String name, List args) {
        if (name in ['timeout', 'retry', 'lock']) {
            Map named = args && args[0] instanceof Map ? (Map) args[0] : null
            StepSignatures.Signature s = StepSignatures.ALL[name]
            if (named != null) {
                checkNamed(named, s.parameters, s.required)
            } else if (args.size() != 1) {
                fail("Missing required parameter: \"${s.required[0]}\"")
            } else {
                checkType(s.required[0], s.parameters[s.required[0]], args[0])
            }
            return
        }
        if (name == 'buildDiscarder') {
            Object strategy = args ? args[0] : null
            if (!(strategy instanceof Map) || ((Map) strategy).describable != 'logRotator') {
                fail("Expecting \"hudson.tasks.LogRotator\" but got \"${strategy}\" of type ${strategy?.getClass()} instead")
            }
            Map rotator = (Map) strategy
            checkNamed(rotator.args ? (Map) ((List) rotator.args)[0] : [:], PARAMETERS.logRotator, [])
            return
        }
        Map named = args && args[0] instanceof Map ? (Map) args[0] : [:]
        checkNamed(named, PARAMETERS[name] ?: [:], [])
    }

    private static void checkNamed(Map named, Map<String, Class> parameters, List<String> required) {
        named.each { key, value ->
            if (!parameters.containsKey(key)) {
                String closest = parameters.keySet().min { distance(key as String, it) }
                fail(closest ? "Invalid parameter \"${key}\", did you mean \"${closest}\"?" : "Invalid parameter \"${key}\"")
            }
            checkType(key as String, parameters[key], value)
        }
        required.findAll { !named.containsKey(it) }.each { fail("Missing required parameter: \"${it}\"") }
    }

    private static void checkType(String name, Class type, Object value) {
        try {
            StepSignatures.coerce(name, type, value)
        } catch (ClassCastException | IllegalArgumentException ignored) {
            fail("Expecting \"${type.simpleName}\" for parameter \"${name}\" but got \"${value}\" of type ${value?.getClass()} instead")
        }
    }

    private static void fail(String message) {
        throw new DeclarativeValidationError(message)
    }

    private static int distance(String a, String b) {
        int[] previous = (0..b.length()) as int[]
        for (int i = 1; i <= a.length(); i++) {
            int[] current = new int[b.length() + 1]
            current[0] = i
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1
                current[j] = Math.min(Math.min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost)
            }
            previous = current
        }
        return previous[b.length()]
    }
}
