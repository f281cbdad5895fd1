package io.entraidc.harness

import java.util.concurrent.TimeUnit

/**
 * The parameters of the real steps (their @DataBoundConstructor / @DataBoundSetter fields) and
 * how Jenkins binds arguments to them: structs-plugin's DescribableModel.instantiate / coerce
 * (src/main/java/org/jenkinsci/plugins/structs/describable/DescribableModel.java). A sole
 * unnamed argument goes to the sole required parameter; GStrings become Strings; a String is
 * coerced to a number, boolean or enum; anything else of the wrong type is a ClassCastException.
 * An unknown parameter is "WARNING: Unknown parameter(s) found for class type ..."; Jenkins
 * throws it under STRICT_PARAMETER_CHECKING (as in its own test harness) and otherwise logs it
 * and drops the argument: the harness always throws, since a dropped argument is a defect.
 */
class StepSignatures {
    static class Signature {
        final String type
        final List<String> required
        final Map<String, Class> parameters

        Signature(String type, List<String> required, Map<String, Class> parameters) {
            this.type = type
            this.required = required
            this.parameters = parameters
        }
    }

    private static Signature sig(String type, List<String> required, Map<String, Class> parameters) {
        return new Signature(type, required, parameters)
    }

    static final String STEPS = 'org.jenkinsci.plugins.workflow.steps.'
    static final Class BOOLEAN = Boolean.TYPE
    static final Class INT = Integer.TYPE
    static final Class LONG = Long.TYPE
    static final Class DOUBLE = Double.TYPE

    static final Map<String, Signature> ALL = [
            // workflow-durable-task-step: ShellStep, DurableTaskStep
            sh              : sig('org.jenkinsci.plugins.workflow.steps.durable_task.ShellStep', ['script'],
                    [script: String, returnStdout: BOOLEAN, returnStatus: BOOLEAN, encoding: String, label: String]),
            // workflow-basic-steps
            echo            : sig(STEPS + 'EchoStep', ['message'], [message: String]),
            error           : sig(STEPS + 'ErrorStep', ['message'], [message: String]),
            unstable        : sig(STEPS + 'UnstableStep', ['message'], [message: String]),
            writeFile       : sig(STEPS + 'WriteFileStep', ['file', 'text'], [file: String, text: String, encoding: String]),
            readFile        : sig(STEPS + 'ReadFileStep', ['file'], [file: String, encoding: String]),
            fileExists      : sig(STEPS + 'FileExistsStep', ['file'], [file: String]),
            pwd             : sig(STEPS + 'PwdStep', [], [tmp: BOOLEAN]),
            deleteDir       : sig(STEPS + 'DeleteDirStep', [], [:]),
            isUnix          : sig(STEPS + 'IsUnixStep', [], [:]),
            sleep           : sig(STEPS + 'SleepStep', ['time'], [time: INT, unit: TimeUnit]),
            dir             : sig(STEPS + 'PushdStep', ['path'], [path: String]),
            withEnv         : sig(STEPS + 'EnvStep', ['overrides'], [overrides: List]),
            timeout         : sig(STEPS + 'TimeoutStep', ['time'], [time: INT, unit: TimeUnit, activity: BOOLEAN]),
            retry           : sig(STEPS + 'RetryStep', ['count'], [count: INT, conditions: List]),
            catchError      : sig(STEPS + 'CatchErrorStep', [], [buildResult: String, stageResult: String,
                                                                  message: String, catchInterruptions: BOOLEAN]),
            // workflow-durable-task-step: ExecutorStep; pipeline-stage-step: StageStep
            node            : sig('org.jenkinsci.plugins.workflow.support.steps.ExecutorStep', ['label'], [label: String]),
            stage           : sig('org.jenkinsci.plugins.workflow.support.steps.StageStep', ['name'], [name: String]),
            // pipeline-groovy-lib: ResourceStep
            libraryResource : sig('org.jenkinsci.plugins.workflow.libs.ResourceStep', ['resource'],
                    [resource: String, encoding: String]),
            // pipeline-utility-steps: ReadJSONStep, WriteJSONStep
            readJSON        : sig('org.jenkinsci.plugins.pipeline.utility.steps.json.ReadJSONStep', [],
                    [file: String, text: String, returnPojo: BOOLEAN]),
            writeJSON       : sig('org.jenkinsci.plugins.pipeline.utility.steps.json.WriteJSONStep', ['json'],
                    [json: Object, file: String, pretty: INT, returnText: BOOLEAN]),
            // lockable-resources: LockStep
            lock            : sig('org.jenkins.plugins.lockableresources.LockStep', ['resource'],
                    [resource: String, label: String, reason: String, quantity: INT, variable: String,
                     inversePrecedence: BOOLEAN, resourceSelectStrategy: String, skipIfLocked: BOOLEAN,
                     serverId: String, extra: List, priority: INT, timeoutForAllocateResource: LONG,
                     timeoutUnit: String]),
            // Jenkins core: ArtifactArchiver; junit: JUnitResultArchiver
            archiveArtifacts: sig('hudson.tasks.ArtifactArchiver', ['artifacts'],
                    [artifacts: String, excludes: String, allowEmptyArchive: BOOLEAN, onlyIfSuccessful: BOOLEAN,
                     fingerprint: BOOLEAN, defaultExcludes: BOOLEAN, caseSensitive: BOOLEAN, followSymlinks: BOOLEAN]),
            junit           : sig('hudson.tasks.junit.JUnitResultArchiver', ['testResults'],
                    [testResults: String, allowEmptyResults: BOOLEAN, skipOldReports: BOOLEAN,
                     skipMarkingBuildUnstable: BOOLEAN, keepLongStdio: BOOLEAN, keepProperties: BOOLEAN,
                     keepTestNames: BOOLEAN, stdioRetention: String, healthScaleFactor: DOUBLE,
                     testDataPublishers: List, skipPublishingChecks: BOOLEAN, checksName: String]),
            // credentials-binding: BindingStep and its bindings
            withCredentials : sig('org.jenkinsci.plugins.credentialsbinding.impl.BindingStep', ['bindings'], [bindings: List]),
            string          : sig('org.jenkinsci.plugins.credentialsbinding.impl.StringBinding', ['variable', 'credentialsId'],
                    [variable: String, credentialsId: String]),
            usernamePassword: sig('org.jenkinsci.plugins.credentialsbinding.impl.UsernamePasswordMultiBinding',
                    ['usernameVariable', 'passwordVariable', 'credentialsId'],
                    [usernameVariable: String, passwordVariable: String, credentialsId: String]),
            file            : sig('org.jenkinsci.plugins.credentialsbinding.impl.FileBinding', ['variable', 'credentialsId'],
                    [variable: String, credentialsId: String]),
            // azure-credentials: AzureCredentialsBinding (symbol azureServicePrincipal)
            azureServicePrincipal: sig('com.microsoft.azure.util.AzureCredentialsBinding', ['credentialsId'],
                    [credentialsId: String, subscriptionIdVariable: String, clientIdVariable: String,
                     clientSecretVariable: String, tenantIdVariable: String]),
    ]

    /**
     * Binds {@code argv} (a Map of named arguments, or one unnamed value, optionally followed by a
     * body closure) to the step's parameters; returns the coerced named arguments.
     */
    static Map<String, Object> bind(String step, List argv) {
        Signature s = ALL[step]
        if (s == null) {
            throw new IllegalStateException("the harness has no signature for step ${step}")
        }
        List values = argv.findAll { !(it instanceof Closure) }
        Map<String, Object> named
        if (values.isEmpty()) {
            named = [:]
        } else if (values.size() == 1 && values[0] instanceof Map) {
            named = new LinkedHashMap<>((Map) values[0])
        } else if (values.size() == 1) {
            if (s.required.size() != 1) {
                throw new IllegalArgumentException("Arguments to class ${s.type} have to be explicitly named")
            }
            named = [(s.required[0]): values[0]]
        } else {
            throw new IllegalArgumentException("All arguments have to be named but ${step} got ${values.size()}")
        }
        Set<String> unknown = new TreeSet<>(named.keySet())
        unknown.removeAll(s.parameters.keySet())
        if (unknown) {
            throw new IllegalArgumentException("WARNING: Unknown parameter(s) found for class type '${s.type}': ${unknown.join(',')}")
        }
        Map<String, Object> result = [:]
        named.each { String name, Object value ->
            try {
                result[name] = coerce("${s.type}.${name}", s.parameters[name], value)
            } catch (ClassCastException | IllegalArgumentException e) {
                throw new IllegalArgumentException("Could not instantiate ${named} for ${s.type}: ${e}", e)
            }
        }
        return result
    }

    static Object coerce(String context, Class type, Object value) {
        if (value == null || type == Object) {
            return value
        }
        Object v = value instanceof GString ? value.toString() : value
        Class wrapped = wrap(type)
        if (wrapped.isInstance(v)) {
            return v
        }
        if (Number.isAssignableFrom(wrapped) && v instanceof Number) {
            return v.asType(wrapped)
        }
        if (v instanceof String) {
            if (type.isEnum()) {
                return Enum.valueOf(type, (String) v)
            }
            if (Number.isAssignableFrom(wrapped)) {
                try {
                    return ((String) v).asType(wrapped)
                } catch (NumberFormatException ignored) {
                    throw new ClassCastException("${context} expects ${wrapped} but was unable to coerce the received value \"${v}\" to that type")
                }
            }
            if (wrapped == Boolean) {
                return Boolean.valueOf((String) v)
            }
        }
        if (v instanceof List && List.isAssignableFrom(type)) {
            return v
        }
        throw new ClassCastException("${context} expects ${type.primitive ? type.name : type.toString()} but received ${v.getClass()}")
    }

    private static Class wrap(Class type) {
        Map<Class, Class> boxes = [(BOOLEAN): Boolean, (INT): Integer, (LONG): Long, (DOUBLE): Double]
        return boxes[type] ?: type
    }
}
