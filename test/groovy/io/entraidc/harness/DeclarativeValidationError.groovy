package io.entraidc.harness

/** What Jenkins reports for an invalid Declarative pipeline: a compilation error, before any stage runs. */
class DeclarativeValidationError extends RuntimeException {
    DeclarativeValidationError(String message) {
        super("startup failed:\nWorkflowScript: ${message}".toString())
    }
}
