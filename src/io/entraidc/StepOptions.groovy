package io.entraidc

import com.cloudbees.groovy.cps.NonCPS

/**
 * The parameters of the entra steps: names, types, defaults and allowed values. Validation
 * runs before any sh step, so bad input fails before any cloud is touched.
 */
class StepOptions implements Serializable {
    static final List<String> ACCOUNTS = ['aws-commercial', 'aws-govcloud']
    static final List<String> BACKENDS = ['local', 's3']

    /** name -> [type, default, description]; shared by all three steps. */
    static final Map<String, List> COMMON = [
            partitions              : [List, ACCOUNTS, "AWS accounts to act on: any of ${ACCOUNTS}"],
            planOnly                : [Boolean, false, 'plan and report, change nothing'],
            workDir                 : [String, '.entraidc', 'work directory, relative to the workspace'],
            stateBackend            : [String, 'local', "Terraform state backend: one of ${BACKENDS}"],
            stateBucket             : [String, null, 'S3 bucket in aws-commercial for the state (stateBackend s3)'],
            stateKey                : [String, 'entra-idc/terraform.tfstate', 'S3 key of the state (stateBackend s3)'],
            timeoutMinutes          : [Integer, 60, 'time limit of the whole step, the wait for the tenant lock included'],
            useStages               : [Boolean, false, 'open a real stage per phase (scripted pipelines only)'],
            providerMirror          : [String, null, 'https URL of a Terraform provider network mirror (Artifactory, Nexus, ...) to install the providers from; default: the agent\'s ENTRAIDC_PROVIDER_MIRROR, else the CLI\'s own configuration'],
            azureCredentialsId      : [String, null, 'optional Azure Credentials (azureServicePrincipal) credential: client ID, secret, tenant and subscription of a service principal, used instead of the agent\'s Azure CLI login'],
    ]

    static final Map<String, Map<String, List>> PER_STEP = [
            entraSamlSetup : [allowIdentitySourceChange: [Boolean, false,
                                                          'federate an instance that already has another identity source'],
                              driftCheck               : [Boolean, false,
                                                          'plan only, with the phases of the last apply; UNSTABLE and the changed addresses when something drifted']],
            entraScimEnable: [abac: [Boolean, false, 'also set up ABAC (tutorial step 5)']],
            entraTeardown  : [:],
    ]

    /** Returns the step's parameters with defaults filled in, or throws naming the bad input and the fix. */
    @NonCPS
    static Map<String, Object> validate(String step, Map args) {
        String problem = problemsOf(step, args)
        if (problem) {
            throw new IllegalArgumentException(problem)
        }
        Map<String, List> schema = schemaOf(step)
        Map<String, Object> result = [:]
        for (String name : schema.keySet()) {
            result[name] = args?.containsKey(name) ? args[name] : schema[name][1]
        }
        result.partitions = ACCOUNTS.findAll { ((List) result.partitions).contains(it) }
        return result
    }

    /**
     * What is wrong with {@code args} for {@code step}, as one message naming each bad parameter and
     * listing the valid ones; null when nothing is. A parameter given as null (an undeclared job
     * parameter reads as null) counts as wrong unless its default is null too.
     */
    @NonCPS
    static String problemsOf(String step, Map args) {
        Map<String, List> schema = schemaOf(step)
        Map<String, Object> result = [:]
        List<String> problems = []
        for (Object name : (args ?: [:]).keySet()) {
            if (!schema.containsKey(name)) {
                problems << "unknown parameter '${name}'".toString()
            }
        }
        for (String name : schema.keySet()) {
            List spec = schema[name]
            boolean given = args != null && args.containsKey(name)
            Object value = given ? args[name] : spec[1]
            String problem = given && value == null && spec[1] != null ?
                    "parameter '${name}' is null (an undeclared job parameter?): give a ${((Class) spec[0]).simpleName} or leave it out for the default ${spec[1]}".toString() :
                    typeProblem(name, value, (Class) spec[0])
            if (problem) {
                problems << problem
            } else {
                result[name] = value
            }
        }
        problems.addAll(valueProblems(result))
        if (!problems) {
            return null
        }
        return "${step}: ${problems.join('; ')}.\nValid parameters of ${step}:\n${usage(step)}".toString()
    }

    @NonCPS
    static String usage(String step) {
        Map<String, List> schema = schemaOf(step)
        List<String> lines = []
        for (String name : schema.keySet()) {
            List spec = schema[name]
            lines << "  ${name} (${((Class) spec[0]).simpleName}, default ${spec[1]}): ${spec[2]}".toString()
        }
        return lines.join('\n')
    }

    @NonCPS
    private static Map<String, List> schemaOf(String step) {
        if (!PER_STEP.containsKey(step)) {
            throw new IllegalArgumentException("unknown step ${step}")
        }
        Map<String, List> schema = new LinkedHashMap<String, List>(COMMON)
        schema.putAll(PER_STEP[step])
        return schema
    }

    @NonCPS
    private static String typeProblem(String name, Object value, Class type) {
        if (value == null || type.isInstance(value)) {
            return null
        }
        if (type == Integer && value instanceof Number) {
            return null
        }
        return "parameter '${name}' must be a ${type.simpleName}, not ${value.getClass().simpleName} (${value})".toString()
    }

    @NonCPS
    private static List<String> valueProblems(Map<String, Object> options) {
        List<String> problems = []
        List partitions = (List) options.partitions
        if (partitions != null) {
            List unknown = partitions.findAll { !ACCOUNTS.contains(it) }
            if (unknown || partitions.isEmpty()) {
                problems << "parameter 'partitions' must name one or more of ${ACCOUNTS}, not ${partitions}".toString()
            }
        }
        if (options.stateBackend != null && !BACKENDS.contains(options.stateBackend)) {
            problems << "parameter 'stateBackend' must be one of ${BACKENDS}, not '${options.stateBackend}'".toString()
        }
        if (options.stateBackend == 's3' && !options.stateBucket) {
            problems << "parameter 'stateBucket' is required with stateBackend 's3' (an S3 bucket in aws-commercial)"
        }
        if (options.providerMirror != null && !((String) options.providerMirror).startsWith('https://')) {
            problems << "parameter 'providerMirror' must be an https:// URL (the provider network mirror protocol requires HTTPS), not '${options.providerMirror}'".toString()
        }
        if (options.timeoutMinutes != null && (options.timeoutMinutes as int) < 1) {
            problems << "parameter 'timeoutMinutes' must be at least 1"
        }
        String workDir = options.workDir
        if (workDir != null && (workDir.startsWith('/') || workDir.split('/').contains('..') || workDir.trim().isEmpty())) {
            problems << "parameter 'workDir' must be a relative path inside the workspace, not '${workDir}'".toString()
        }
        return problems
    }
}
