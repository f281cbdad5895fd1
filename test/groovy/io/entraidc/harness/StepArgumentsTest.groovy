package io.entraidc.harness

import org.junit.jupiter.api.Test

import static org.junit.jupiter.api.Assertions.*

/**
 * Step arguments are bound as structs-plugin's DescribableModel.instantiate binds them
 * (jenkinsci/structs-plugin, src/main/java/org/jenkinsci/plugins/structs/describable/DescribableModel.java),
 * against the parameters of the real steps (ShellStep, TimeoutStep, LockStep, BindingStep, ...).
 */
class StepArgumentsTest {
    static Throwable failure(String script) {
        PipelineHarness h = new PipelineHarness(libraryRoot: PipelineHarnessTest.FIXTURE_LIB)
        return assertThrows(Throwable) { h.runScript(script) }
    }

    @Test
    void unknownParameterIsRefusedNamingTheStepClass() {
        Throwable e = failure("node { sh(script: 'true', returnStdOut: true) }")
        assertEquals("WARNING: Unknown parameter(s) found for class type " +
                "'org.jenkinsci.plugins.workflow.steps.durable_task.ShellStep': returnStdOut", e.message)
    }

    @Test
    void illTypedArgumentIsAClassCastAsInDescribableModel() {
        Throwable e = failure("timeout(time: '3 hours') { echo 'x' }")
        assertTrue(e.message.contains('org.jenkinsci.plugins.workflow.steps.TimeoutStep.time expects class java.lang.Integer ' +
                'but was unable to coerce the received value "3 hours" to that type'), e.message)
        Throwable list = failure("withEnv('A=1') { echo 'x' }")
        assertTrue(list.message.contains('EnvStep.overrides expects interface java.util.List but received class java.lang.String'),
                list.message)
    }

    @Test
    void stringsAreCoercedToNumbersAndEnumsAsJenkinsDoes() {
        PipelineHarness h = new PipelineHarness(libraryRoot: PipelineHarnessTest.FIXTURE_LIB)
        assertEquals('ok', h.runScript("timeout(time: '5', unit: 'SECONDS') { return 'ok' }"))
        assertEquals([time: 5, unit: java.util.concurrent.TimeUnit.SECONDS], h.stepCalls.find { it.step == 'timeout' }.args)
    }

    @Test
    void anUnnamedArgumentNeedsASoleRequiredParameter() {
        Throwable e = failure("node { writeFile('a.txt') }")
        assertEquals('Arguments to class org.jenkinsci.plugins.workflow.steps.WriteFileStep have to be explicitly named', e.message)
    }

    @Test
    void credentialBindingsAreCheckedToo() {
        Throwable e = failure("withCredentials([usernamePassword(credentialsId: 'x', username: 'U', passwordVariable: 'P')]) { echo 'x' }")
        assertTrue(e.message.startsWith("WARNING: Unknown parameter(s) found for class type " +
                "'org.jenkinsci.plugins.credentialsbinding.impl.UsernamePasswordMultiBinding': username"), e.message)
    }

    @Test
    void lockParametersAreLockStepsOwn() {
        Throwable e = failure("lock(name: 'r') { echo 'x' }")
        assertEquals("WARNING: Unknown parameter(s) found for class type 'org.jenkins.plugins.lockableresources.LockStep': name", e.message)
    }
}
