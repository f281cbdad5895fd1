package io.entraidc.harness

/**
 * What pipeline code hands out of the CPS interpreter when it calls a step (Continuable.suspend),
 * as a Jenkins step suspends the CPS thread: the harness saves the program there, runs the
 * step, and resumes the program with its result.
 */
class StepCall {
    final String name
    final List args
    /** A block step's boundary: nothing to run outside the program, only its state to save. */
    final boolean boundary

    StepCall(String name, List args, boolean boundary = false) {
        this.name = name
        this.args = args
        this.boundary = boundary
    }
}
