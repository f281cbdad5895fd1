package io.entraidc

import com.cloudbees.groovy.cps.NonCPS

/**
 * What started a lab build, and whether it may change the accounts: a build started by hand
 * may; the nightly timer may on the default branch (in a multibranch project
 * BRANCH_IS_PRIMARY, set by branch-api; a plain pipeline job has no BRANCH_NAME); a build
 * started by branch indexing or a push only plans.
 */
class BuildTrigger implements Serializable {
    static final String USER = 'hudson.model.Cause$UserIdCause'
    static final String TIMER = 'hudson.triggers.TimerTrigger$TimerTriggerCause'

    static boolean mayChangeAccounts(def currentBuild, def env) {
        if (!currentBuild.getBuildCauses(USER).isEmpty()) {
            return true
        }
        return !currentBuild.getBuildCauses(TIMER).isEmpty() && isDefaultBranch(env.BRANCH_NAME, env.BRANCH_IS_PRIMARY)
    }

    static String describe(def currentBuild, def env) {
        List causes = currentBuild.getBuildCauses()
        String cause = causes ? causes[0].shortDescription : 'no cause'
        return env.BRANCH_NAME ? "${cause} on branch ${env.BRANCH_NAME}".toString() : cause
    }

    @NonCPS
    static boolean isDefaultBranch(String branchName, String branchIsPrimary) {
        return branchName == null || branchIsPrimary == 'true'
    }
}
