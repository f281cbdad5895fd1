package io.entraidc.harness

/**
 * workflow-step-api's MissingContextVariableException: a step that needs a workspace
 * (hudson.FilePath) or a launcher ran outside node / agent. (Jenkins' DSL prints "Perhaps you
 * forgot to surround the code with a step that provides this, such as: node" to the log.)
 */
class MissingContextVariableException extends RuntimeException {
    MissingContextVariableException(String type) {
        super("Required context class ${type} is missing".toString())
    }
}
