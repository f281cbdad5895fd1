package io.entraidc.harness

import com.cloudbees.groovy.cps.SerializableScript

/**
 * Base class of every CPS-compiled pipeline script in the harness, as CpsScript is in
 * Jenkins: globals (env, params, currentBuild), steps, and the library's global variables.
 */
abstract class HarnessScript extends SerializableScript {
    static final String HARNESS_VARIABLE = '__harness'

    PipelineHarness getHarness() { return (PipelineHarness) binding.getVariable(HARNESS_VARIABLE) }

    EnvVars getEnv() { return harness.env }

    Map getParams() { return Collections.unmodifiableMap(harness.params) }

    CurrentBuild getCurrentBuild() { return harness.currentBuild }

    /** The sleep step, not DefaultGroovyMethods.sleep(long) (workflow-cps' CpsScript overrides it the same way). */
    Object sleep(Object time) { return harness.blockSteps.step('sleep', [time]) }

    Map string(Map args) {
        if (harness.context() == 'parameters') {
            return declareParameter('string', args)
        }
        return [type: 'string'] + StepSignatures.bind('string', [args])
    }

    Map usernamePassword(Map args) { return [type: 'usernamePassword'] + StepSignatures.bind('usernamePassword', [args]) }

    Map file(Map args) { return [type: 'file'] + StepSignatures.bind('file', [args]) }

    Map azureServicePrincipal(Map args) {
        return [type: 'azureServicePrincipal'] + StepSignatures.bind('azureServicePrincipal', [args])
    }

    static final List<String> DECLARATIVE_BLOCKS = ['pipeline', 'agent', 'options', 'triggers', 'parameters',
                                                    'environment', 'stages', 'when', 'steps', 'expression', 'script',
                                                    'post']
    /**
     * post's conditions in the order they run: pipeline-model-definition's BuildCondition
     * extensions, highest @Extension ordinal first (model/conditions/*.groovy: always 1000, changed
     * 900, fixed 890, regression 880, aborted 800, success 700, unsuccessful 650, unstable 600,
     * failure 500, notBuilt 400, cleanup -10000). unstable is also a step, outside post.
     */
    static final List<String> POST_CONDITIONS = ['always', 'changed', 'fixed', 'regression', 'aborted', 'success',
                                                 'unsuccessful', 'unstable', 'failure', 'notBuilt', 'cleanup']

    protected Map declareParameter(String type, Map args) {
        Map parameter = [type: type, name: args.name, description: args.description,
                         defaultValue: type == 'choice' ? ((List) args.choices)[0] : args.defaultValue]
        if (type == 'choice') {
            parameter.choices = args.choices
        }
        harness.declarativeModel.parameters.add(parameter)
        return parameter
    }

    /** Declarative sections and the options/triggers/parameters inside them. */
    protected Object declarativeCall(String name, Object[] argv) {
        String context = harness.context()
        if ((context == 'options' || context == 'stageOptions') && name == 'logRotator') {
            return [describable: name, args: argv.toList()]
        }
        if (context == 'options' || context == 'stageOptions') {
            Map option = [option: name, args: argv.toList()]
            (context == 'options' ? harness.declaredOptions : harness.currentStage.options).add(option)
            return option
        }
        if (context == 'triggers' && name in ['cron', 'pollSCM']) {
            harness.declarativeModel.triggers.add([trigger: name, spec: argv[0]])
            return null
        }
        if (context == 'parameters' && name in ['choice', 'booleanParam']) {
            return declareParameter(name, (Map) argv[0])
        }
        if (context == 'pipeline' && name == 'agent' && argv.length == 1 && !(argv[0] instanceof Closure)) {
            harness.declarativeModel.agent = argv[0]
            return null
        }
        boolean postCondition = name in POST_CONDITIONS && (context == 'post' || !(name in PipelineHarness.SIMPLE_STEPS))
        if (name in DECLARATIVE_BLOCKS || postCondition || (name == 'stage' && context == 'stages')) {
            return harness.declarative.invokeMethod(name, argv)
        }
        if (name == 'label' && context == 'agent') {
            harness.declarativeModel.agent = [label: argv[0]]
            return null
        }
        return NOT_DECLARATIVE
    }

    static final Object NOT_DECLARATIVE = new Object()

    /** Block steps run CPS-transformed (BlockSteps.groovy); library global variables run their call(). */
    def methodMissing(String name, Object args) {
        Object[] argv = (Object[]) args
        Object declared = declarativeCall(name, argv)
        if (!declared.is(NOT_DECLARATIVE)) {
            return declared
        }
        if (name in PipelineHarness.BLOCK_STEPS) {
            return harness.blockSteps.block(name, argv.toList())
        }
        if (name in PipelineHarness.SIMPLE_STEPS) {
            return harness.blockSteps.step(name, argv.toList())
        }
        if (harness.hasGlobalVar(name)) {
            return harness.globalVar(name).invokeMethod('call', argv)
        }
        throw new NoSuchStepError(name, harness.knownSteps())
    }

    /** A library global variable used as an object (e.g. {@code entraLog.line(...)}). */
    def propertyMissing(String name) {
        if (harness.context() == 'pipeline' && name in ['any', 'none']) {
            return name
        }
        if (harness.hasGlobalVar(name)) {
            return harness.globalVar(name)
        }
        throw new MissingPropertyException(name, getClass())
    }
}
