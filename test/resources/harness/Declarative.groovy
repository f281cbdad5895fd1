package io.entraidc.harness

/*
 * A small interpreter of Declarative Pipeline for the harness: pipeline { agent, options,
 * triggers, parameters, stages { stage { when { expression }, steps { script } } }, post }.
 * Like BlockSteps it is compiled with the CPS transformer, so the sections' closures run as
 * pipeline code. Sections are recorded first, then run with Jenkins' semantics: parameter
 * defaults fill params, a stage whose when is false is skipped, a failed stage fails the
 * build and skips the rest, post conditions run afterwards (always, then by result).
 */
class Declarative implements Serializable {
    static final List<String> POST_ORDER = ['always', 'changed', 'fixed', 'regression', 'aborted', 'failure',
                                            'success', 'unstable', 'unsuccessful', 'cleanup']
    final transient PipelineHarness h

    Declarative(PipelineHarness h) { this.h = h }

    def pipeline(Closure body) {
        Map model = [stages: [], post: [:], parameters: [], options: [], triggers: [], agent: null]
        h.declarativeModel = model
        h.pushContext('pipeline')
        try {
            body()
        } finally {
            h.popContext()
        }
        for (Map parameter : model.parameters) {
            if (!h.params.containsKey(parameter.name)) {
                h.params[parameter.name] = parameter.defaultValue
            }
        }
        Throwable failure = null
        for (Map stage : model.stages) {
            if (failure != null) {
                h.log.addSystem("Stage \"${stage.name}\" skipped due to earlier failure(s)")
                h.skippedStages.add(stage.name)
                continue
            }
            try {
                runStage(stage)
            } catch (Throwable e) {
                failure = e
                h.currentBuild.setResult('FAILURE')
                h.log.addSystem("ERROR: ${e.message}")
            }
        }
        runPost(model.post)
        if (failure != null) {
            throw failure
        }
        return null
    }

    def agent(Closure body) { return record('pipeline', 'agent', body) }

    def options(Closure body) { return evaluateIn('options', body) }

    def triggers(Closure body) { return evaluateIn('triggers', body) }

    def parameters(Closure body) { return evaluateIn('parameters', body) }

    def environment(Closure body) { return record('pipeline', 'environment', body) }

    def stages(Closure body) { return evaluateIn('stages', body) }

    def post(Closure body) { return evaluateIn('post', body) }

    def stage(String name, Closure body) {
        if (h.context() == 'stages') {
            h.declarativeModel.stages.add([name: name, body: body])
            return null
        }
        return h.blockSteps.stage(name, body)
    }

    def when(Closure body) { return record('stage', 'when', body) }

    def steps(Closure body) { return record('stage', 'steps', body) }

    def expression(Closure body) {
        h.requireContext('when', 'expression')
        h.currentStage.conditions.add(body)
        return null
    }

    def script(Closure body) { return body() }

    def always(Closure body) { return postCondition('always', body) }

    def success(Closure body) { return postCondition('success', body) }

    def failure(Closure body) { return postCondition('failure', body) }

    def unstable(Closure body) { return postCondition('unstable', body) }

    def aborted(Closure body) { return postCondition('aborted', body) }

    def cleanup(Closure body) { return postCondition('cleanup', body) }

    private def runStage(Map stage) {
        Map current = [name: stage.name, when: null, steps: null, conditions: []]
        h.currentStage = current
        h.pushContext('stage')
        Closure definition = stage.body
        try {
            definition()
        } finally {
            h.popContext()
        }
        Closure when = current.when
        if (when != null) {
            h.pushContext('when')
            try {
                when()
            } finally {
                h.popContext()
            }
        }
        boolean wanted = true
        for (Closure condition : current.conditions) {
            if (!condition()) {
                wanted = false
            }
        }
        if (!wanted) {
            h.log.addSystem("Stage \"${stage.name}\" skipped due to when conditional")
            h.skippedStages.add(stage.name)
            return null
        }
        Closure steps = current.steps
        return h.blockSteps.stage(stage.name, steps)
    }

    private def runPost(Map post) {
        String result = h.currentBuild.currentResult
        for (String condition : POST_ORDER) {
            Closure body = post[condition]
            if (body != null && postApplies(condition, result)) {
                h.log.addSystem("Post stage: ${condition}")
                body()
            }
        }
        return null
    }

    private static boolean postApplies(String condition, String result) {
        if (condition == 'always' || condition == 'cleanup') {
            return true
        }
        if (condition == 'unsuccessful') {
            return result != 'SUCCESS'
        }
        return condition.toUpperCase() == result
    }

    private def postCondition(String name, Closure body) {
        h.requireContext('post', name)
        h.declarativeModel.post[name] = body
        return null
    }

    private def record(String context, String name, Closure body) {
        h.requireContext(context, name)
        if (context == 'pipeline') {
            h.declarativeModel[name] = body
        } else {
            h.currentStage[name] = body
        }
        return null
    }

    private def evaluateIn(String context, Closure body) {
        h.requireContext('pipeline', context)
        h.pushContext(context)
        try {
            body()
        } finally {
            h.popContext()
        }
        return null
    }
}
