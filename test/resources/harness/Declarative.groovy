package io.entraidc.harness

/*
 * A small interpreter of Declarative Pipeline for the harness, after pipeline-model-definition's
 * ModelInterpreter.groovy: pipeline { agent, options, triggers, parameters, stages { stage {
 * options, when { expression }, steps { script } } }, post }. Like BlockSteps it is compiled with
 * the CPS transformer, so the sections' closures run as pipeline code. Sections are recorded
 * first and the options checked (DeclarativeOptions), then the build runs as ModelInterpreter.call
 * runs it: the whole build, post included, inside the agent; inside that the pipeline's option
 * wrappers (timeout, timestamps), which therefore cover the stages *and* post; a stage's own
 * options wrap that stage. A failed stage fails the build (FlowInterruptedException: ABORTED)
 * and skips the rest; post conditions run afterwards in BuildCondition order, each on its own
 * (an error in one is logged and the others still run). When the agent, a wrapper (the lock's
 * wait, a timeout) or anything else before the stages fails, post still runs, outside the agent
 * and the wrappers (ModelInterpreter.call's finally, "If we hit an exception somewhere *before*
 * we got to parallel"). Restart from Stage (PipelineHarness.restartFromStage) is refused when the
 * pipeline declares disableRestartFromStage (RestartDeclarativePipelineAction.isRestartEnabled and
 * doRestart: "not allowed to restart"); otherwise the stages before the named one are skipped
 * (ModelInterpreter.evaluateSequentialStages, SkippedStageReason.Restart's message) and the script
 * runs anew, its own variables unset.
 */
class Declarative implements Serializable {
    static final List<String> POST_ORDER = HarnessScript.POST_CONDITIONS
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
        DeclarativeOptions.check(h.declaredOptions, 'pipeline')
        for (Map parameter : model.parameters) {
            if (!h.params.containsKey(parameter.name)) {
                h.params[parameter.name] = parameter.defaultValue
            }
        }
        if (h.restartFromStage != null && h.declaredOptions.any { it.option == 'disableRestartFromStage' }) {
            throw new AbortException('not allowed to restart')
        }
        Throwable failure = null
        boolean postRun = false
        try {
            inAgent(model.agent) {
                inWrappers(DeclarativeOptions.wrappers(h.declaredOptions), 0) {
                    failure = runStages(model.stages)
                    try {
                        postRun = true
                        runPost(model.post, failure)
                    } catch (Throwable e) {
                        if (failure == null) {
                            failure = e
                        }
                    }
                    if (failure != null) {
                        throw failure
                    }
                }
            }
        } catch (Throwable e) {
            if (failure == null) {
                failure = e
            }
        }
        if (!postRun) {
            try {
                runPost(model.post, failure)
            } catch (Throwable e) {
                if (failure == null) {
                    failure = e
                }
            }
        }
        if (failure != null) {
            h.currentBuild.setResult(resultOf(failure))
            throw failure
        }
        return null
    }

    private def inAgent(Object agent, Closure body) {
        if (agent == 'none') {
            return body()
        }
        String label = agent instanceof Map ? agent.label : null
        return h.blockSteps.block('node', [label, body])
    }

    private def inWrappers(List<Map> wrappers, int index, Closure body) {
        if (index >= wrappers.size()) {
            return body()
        }
        Map wrapper = wrappers[index]
        Closure inner = { inWrappers(wrappers, index + 1, body) }
        if (wrapper.option in ['timeout', 'lock']) {
            return h.blockSteps.block(wrapper.option, [wrapper.args[0], inner])
        }
        return inner()
    }

    private Throwable runStages(List<Map> stages) {
        Throwable failure = null
        boolean skippedForRestart = h.restartFromStage != null
        for (Map stage : stages) {
            if (skippedForRestart && stage.name != h.restartFromStage) {
                h.log.addSystem("Stage \"${stage.name}\" skipped due to this build restarting at stage \"${h.restartFromStage}\"")
                h.skippedStages.add(stage.name)
                continue
            }
            skippedForRestart = false
            if (failure != null) {
                h.log.addSystem("Stage \"${stage.name}\" skipped due to earlier failure(s)")
                h.skippedStages.add(stage.name)
                continue
            }
            try {
                runStage(stage)
            } catch (Throwable e) {
                failure = e
                h.currentBuild.setResult(resultOf(e))
                h.log.addSystem("ERROR: ${e.message}")
            }
        }
        return failure
    }

    private static String resultOf(Throwable e) {
        return e instanceof FlowInterruptedException ? ((FlowInterruptedException) e).result : 'FAILURE'
    }

    def agent(Closure body) {
        h.requireContext('pipeline', 'agent')
        h.pushContext('agent')
        try {
            body()
        } finally {
            h.popContext()
        }
        return null
    }

    def options(Closure body) {
        if (h.context() == 'stage') {
            h.pushContext('stageOptions')
            try {
                body()
            } finally {
                h.popContext()
            }
            DeclarativeOptions.check(h.currentStage.options, 'stage')
            return null
        }
        return evaluateIn('options', body)
    }

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
        return h.blockSteps.block('stage', [name, body])
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

    def changed(Closure body) { return postCondition('changed', body) }

    def fixed(Closure body) { return postCondition('fixed', body) }

    def regression(Closure body) { return postCondition('regression', body) }

    def unsuccessful(Closure body) { return postCondition('unsuccessful', body) }

    def notBuilt(Closure body) { return postCondition('notBuilt', body) }

    private def runStage(Map stage) {
        Map current = [name: stage.name, when: null, steps: null, conditions: [], options: []]
        h.currentStage = current
        h.pushContext('stage')
        Closure definition = stage.body
        try {
            definition()
        } finally {
            h.popContext()
        }
        Closure steps = current.steps
        List<Map> wrappers = DeclarativeOptions.wrappers(current.options)
        // ModelInterpreter.evaluateStage: when is evaluated inside the stage's options (a stage
        // timeout or lock covers it), unless beforeOptions, which the harness does not offer.
        return inWrappers(wrappers, 0) {
            if (!whenPasses(current)) {
                h.log.addSystem("Stage \"${stage.name}\" skipped due to when conditional")
                h.skippedStages.add(stage.name)
                return null
            }
            return h.blockSteps.block('stage', [stage.name, steps])
        }
    }

    private boolean whenPasses(Map current) {
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
        return wanted
    }

    private def runPost(Map post, Throwable failure) {
        for (String condition : POST_ORDER) {
            Closure body = post[condition]
            String result = failure != null ? worse(h.currentBuild.currentResult, resultOf(failure)) : h.currentBuild.currentResult
            if (body != null && postApplies(condition, result, h.currentBuild.previousResult)) {
                h.log.addSystem("Post stage: ${condition}")
                try {
                    body()
                } catch (Throwable e) {
                    h.log.addSystem("Error when executing ${condition} post condition:")
                    h.log.addSystem(String.valueOf(e))
                    if (failure == null) {
                        failure = e
                    }
                }
            }
        }
        if (failure != null) {
            throw failure
        }
        return null
    }

    private static String worse(String a, String b) {
        List<String> order = ['SUCCESS', 'UNSTABLE', 'FAILURE', 'NOT_BUILT', 'ABORTED']
        return order.indexOf(a) >= order.indexOf(b) ? a : b
    }

    /**
     * Each condition's meetsCondition (model/conditions/*.groovy), on the build's result combined
     * with the error so far; changed, fixed and regression compare it with the previous completed
     * build's result (none: changed holds, fixed and regression do not).
     */
    private static boolean postApplies(String condition, String result, String previous) {
        switch (condition) {
            case 'always': return true
            case 'cleanup': return true
            case 'unsuccessful': return result != 'SUCCESS'
            case 'notBuilt': return result == 'NOT_BUILT'
            case 'changed': return previous == null || result != previous
            case 'fixed': return previous != null && result == 'SUCCESS' && previous in ['FAILURE', 'UNSTABLE']
            case 'regression': return previous != null && worse(result, previous) == result && result != previous
            default: return condition.toUpperCase() == result
        }
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
