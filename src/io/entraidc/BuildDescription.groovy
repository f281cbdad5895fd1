package io.entraidc

import com.cloudbees.groovy.cps.NonCPS

/**
 * The lab build's description (currentBuild.description, shown under the build in Jenkins):
 * action, accounts, checks passed of total, and the access-portal URLs the setup reported.
 * Plain text, one fact a line, so it reads well in Jenkins' default "Plain text" markup
 * formatter (which escapes HTML and keeps line breaks).
 */
class BuildDescription {
    /**
     * {@code lab}: LabParameters.check's answer (null when the parameters were refused or never
     * checked); {@code results}: step name -> its result; {@code parametersChecked}: whether the
     * build got to the check (an abort while it waited for the lock or an agent did not).
     */
    @NonCPS
    static String of(Map lab, Map<String, Map> results, boolean parametersChecked = true) {
        if (lab == null) {
            return parametersChecked ? 'parameters refused: nothing was run (see the log)'
                    : 'stopped before its parameters were checked: nothing was run (see the log)'
        }
        List<String> lines = ["${lab.action}${lab.planOnly ? ' (plan only)' : ''}: ${((List) lab.partitions).join(', ')}, azure-id".toString()]
        int total = 0
        int failed = 0
        int skipped = 0
        Map<String, String> portals = [:]
        for (Map result : results.values()) {
            Map checks = (Map) result?.checks
            if (checks != null) {
                total += (checks.total ?: 0) as int
                failed += (checks.failed ?: 0) as int
                skipped += (checks.skipped ?: 0) as int
            }
            portals.putAll(portalsOf(result))
        }
        lines << (total ? "checks: ${total - failed - skipped}/${total} passed${skipped ? ", ${skipped} skipped" : ''}".toString()
                : 'checks: none run')
        for (String account : portals.keySet()) {
            lines << "${account} access portal: ${portals[account]}".toString()
        }
        return lines.join('\n')
    }

    @NonCPS
    private static Map<String, String> portalsOf(Map result) {
        Map<String, String> portals = [:]
        Object accounts = result?.outputs?.aws_accounts?.value
        if (accounts instanceof Map) {
            for (Object account : ((Map) accounts).keySet()) {
                Object url = ((Map) accounts)[account]?.access_portal_url
                if (url) {
                    portals[(String) account] = (String) url
                }
            }
        }
        return portals
    }
}
