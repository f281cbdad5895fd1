package io.entraidc

import com.cloudbees.groovy.cps.NonCPS

/**
 * The lab Jenkinsfile's job parameters, checked before any stage acts: a parameter the job does
 * not declare reads as null in `params`, a value from the REST API or a trigger can be anything,
 * so each must be one of its valid values. Bad ones end the build with `error` naming them.
 */
class LabParameters implements Serializable {
    static final List<String> ACTIONS = ['rebuild', 'setup', 'scim', 'drift-check', 'teardown']
    static final List<String> PARTITIONS = ['both', 'aws-commercial', 'aws-govcloud']
    static final List<String> STATE_BACKENDS = StepOptions.BACKENDS

    /** The checked parameters: action, partitions (a list of accounts), planOnly, abac, state (step options). */
    static Map check(def steps, Map params) {
        String problem = problemsOf(params)
        if (problem) {
            steps.error(problem)
        }
        return of(params)
    }

    @NonCPS
    static String problemsOf(Map params) {
        List<String> problems = []
        problems.addAll(choiceProblem(params, 'ACTION', ACTIONS))
        problems.addAll(choiceProblem(params, 'PARTITIONS', PARTITIONS))
        problems.addAll(choiceProblem(params, 'STATE_BACKEND', STATE_BACKENDS))
        for (String name : ['PLAN_ONLY', 'ABAC']) {
            if (!(params[name] instanceof Boolean)) {
                problems << "job parameter '${name}' must be true or false, not ${describe(params[name])}".toString()
            }
        }
        if (params.STATE_BACKEND == 's3' && !(params.STATE_BUCKET instanceof String && params.STATE_BUCKET.trim())) {
            problems << "job parameter 'STATE_BUCKET' must name the S3 bucket (in aws-commercial) with STATE_BACKEND s3, not ${describe(params.STATE_BUCKET)}".toString()
        }
        if (!problems) {
            return null
        }
        return "lab job: ${problems.join('; ')}. Declare the parameters as the library's Jenkinsfile does, or run Build with Parameters once.".toString()
    }

    @NonCPS
    private static Map of(Map params) {
        List<String> partitions = params.PARTITIONS == 'both' ? StepOptions.ACCOUNTS : [(String) params.PARTITIONS]
        Map<String, Object> state = [stateBackend: params.STATE_BACKEND]
        if (params.STATE_BACKEND == 's3') {
            state.stateBucket = ((String) params.STATE_BUCKET).trim()
        }
        return [action: params.ACTION, partitions: partitions, planOnly: params.PLAN_ONLY, abac: params.ABAC,
                state : state]
    }

    @NonCPS
    private static List<String> choiceProblem(Map params, String name, List<String> choices) {
        Object value = params[name]
        if (choices.contains(value)) {
            return []
        }
        return ["job parameter '${name}' must be one of ${choices}, not ${describe(value)}".toString()]
    }

    @NonCPS
    private static String describe(Object value) {
        if (value == null) {
            return 'unset (the job does not declare it)'
        }
        return value instanceof String ? "'${value}'".toString() : "${value} (${value.getClass().simpleName})".toString()
    }
}
