package io.entraidc.harness

/**
 * The agent crashed while a step ran (see {@link CrashPlan}): the build's program never
 * resumes, so no finally block, no post section and no lock's release in pipeline code runs.
 * An Error, so that nothing between the step and the harness takes it for the step's failure.
 */
class AgentCrash extends Error {
    AgentCrash(String message) { super(message) }
}
