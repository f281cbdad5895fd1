package io.entraidc.harness

/** A build asked for a lock it already holds: in Jenkins it would wait for itself forever. */
class LockReentryError extends AssertionError {
    final String resource

    LockReentryError(String resource, int buildNumber) {
        super((Object) ("lock [Resource: ${resource}] requested again by build #${buildNumber}, which already holds it: " +
                'lockable-resources locks are not re-entrant, so Jenkins would wait here forever'))
        this.resource = resource
    }
}
