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

    Object sh(Object args) { return harness.sh(args) }

    void echo(Object message) { harness.echo(message) }

    void error(String message) { harness.error(message) }

    String libraryResource(Object args) { return harness.libraryResource(args) }

    void writeFile(Map args) { harness.writeFile(args) }

    String readFile(Object args) { return harness.readFile(args) }

    boolean fileExists(Object args) { return harness.fileExists(args) }

    String pwd(Map args = [:]) { return harness.pwd(args) }

    void deleteDir() { harness.deleteDir() }

    Object readJSON(Map args) { return harness.readJSON(args) }

    Object writeJSON(Map args) { return harness.writeJSON(args) }

    void archiveArtifacts(Object args) { harness.archiveArtifacts(args) }

    Map junit(Object args) { return harness.junit(args) }

    boolean isUnix() { return true }

    void sleep(Object args) { harness.sleep(args) }

    Map string(Map args) { return [type: 'string'] + args }

    Map usernamePassword(Map args) { return [type: 'usernamePassword'] + args }

    Map file(Map args) { return [type: 'file'] + args }

    /** Block steps run CPS-transformed (BlockSteps.groovy); library global variables run their call(). */
    def methodMissing(String name, Object args) {
        Object[] argv = (Object[]) args
        if (name in PipelineHarness.BLOCK_STEPS) {
            return harness.blockSteps.invokeMethod(name, argv)
        }
        if (harness.hasGlobalVar(name)) {
            return harness.globalVar(name).invokeMethod('call', argv)
        }
        throw new NoSuchStepError(name, harness.knownSteps())
    }

    /** A library global variable used as an object (e.g. {@code entraLog.line(...)}). */
    def propertyMissing(String name) {
        if (harness.hasGlobalVar(name)) {
            return harness.globalVar(name)
        }
        throw new MissingPropertyException(name, getClass())
    }
}
