package io.entraidc.harness

/** Pipeline code that is not CPS-safe: Jenkins would run it with wrong results. */
class CpsMismatchError extends AssertionError {
    final List<String> mismatches

    CpsMismatchError(List<String> mismatches) {
        super((Object) ('Code is not CPS-safe (Jenkins would misbehave here): ' + mismatches.join('; ')))
        this.mismatches = mismatches
    }
}
