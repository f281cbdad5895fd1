package io.entraidc

/** A phase of an entra step failed in one account. */
class PhaseFailure extends RuntimeException {
    final String phase
    final String account

    PhaseFailure(String phase, String account, String detail) {
        super("${phase} failed in ${account}: ${detail}".toString())
        this.phase = phase
        this.account = account
    }
}
