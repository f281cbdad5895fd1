package io.entraidc

/** A phase of an entra step failed in one account. */
class PhaseFailure extends RuntimeException {
    final String phase
    final String account
    /** Another run holds the Terraform state lock: the way out is to wait, not the phase's usual next step. */
    final boolean stateLocked
    /** What to do next, when not the phase's usual advice (null: EntraRun's own). */
    final String next

    PhaseFailure(String phase, String account, String detail, boolean stateLocked = false) {
        this(phase, account, detail, stateLocked, null)
    }

    PhaseFailure(String phase, String account, String detail, boolean stateLocked, String next) {
        super("${phase} failed in ${account}: ${detail}".toString())
        this.phase = phase
        this.account = account
        this.stateLocked = stateLocked
        this.next = next
    }
}
