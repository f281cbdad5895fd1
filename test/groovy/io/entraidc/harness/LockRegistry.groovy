package io.entraidc.harness

/**
 * The controller's lockable resources, shared by the builds started from one another
 * (nextBuild, concurrentBuild). As lockable-resources' LockStepExecution.start: a resource that
 * is locked (by any build, the asking one included) queues the request until it is released,
 * so lock is not re-entrant: a build that asks again for what it holds waits for itself, until
 * an enclosing timeout ends the wait (the lock step has no time limit of its own) or forever. The
 * harness models the first (it waits for itself like any other holder); with no timeout around it
 * fails at once, naming the resource, and ends any other wait after {@link #maxWaitMillis},
 * instead of hanging the test.
 */
class LockRegistry {
    long maxWaitMillis = 30L * 60 * 1000
    private final Map<String, PipelineHarness> holders = [:]

    synchronized void acquire(String resource, PipelineHarness build, Timeouts timeouts) {
        build.log.addSystem("Trying to acquire lock on [Resource: ${resource}]")
        if (holders[resource].is(build) && timeouts.limit() == Long.MAX_VALUE) {
            throw new LockReentryError(resource, build.buildNumber)
        }
        long giveUp = System.currentTimeMillis() + maxWaitMillis
        boolean told = false
        while (holders.containsKey(resource)) {
            if (!told) {
                build.log.addSystem("[Resource: ${resource}] is not free, waiting for execution ...")
                told = true
            }
            long now = System.currentTimeMillis()
            if (now >= giveUp) {
                throw new AssertionError((Object) "lock [Resource: ${resource}]: build #${build.buildNumber} waited " +
                        "${maxWaitMillis / 1000} s for build #${holders[resource].buildNumber}, which still holds it")
            }
            long limit = timeouts.limit()
            if (now >= limit) {
                throw timeouts.expire()
            }
            wait(Math.max(1L, Math.min(Math.min(giveUp, limit) - now, 200L)))
        }
        holders[resource] = build
        build.log.addSystem("Lock acquired on [Resource: ${resource}]")
    }

    synchronized void release(String resource, PipelineHarness build) {
        if (holders[resource].is(build)) {
            holders.remove(resource)
            build.log.addSystem("Lock released on resource [Resource: ${resource}]")
            notifyAll()
        }
    }

    /** The build ended without running its lock blocks' ends (its agent crashed): the controller frees its resources. */
    synchronized void releaseAll(PipelineHarness build) {
        holders.findAll { k, v -> v.is(build) }.keySet().collect { it }.each { release(it, build) }
    }

    synchronized boolean isHeld(String resource) { return holders.containsKey(resource) }
}
