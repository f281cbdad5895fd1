package io.entraidc.steps

import io.entraidc.harness.LockRegistry
import io.entraidc.harness.PipelineHarness
import io.entraidc.harness.Timeouts

/** One controller's lockable resources that record, in order, which job acquired and released them. */
class RecordingLockRegistry extends LockRegistry {
    final List<String> events = Collections.synchronizedList([])

    @Override
    synchronized void acquire(String resource, PipelineHarness build, Timeouts timeouts) {
        super.acquire(resource, build, timeouts)
        events << "${build.jobName} acquired".toString()
    }

    @Override
    synchronized void release(String resource, PipelineHarness build) {
        beforeRelease(build)
        events << "${build.jobName} released".toString()
        super.release(resource, build)
    }

    /** Runs holding the registry, so a build waiting for the resource cannot start before it ends. */
    protected void beforeRelease(PipelineHarness build) {}
}
