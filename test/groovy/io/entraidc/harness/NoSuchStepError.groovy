package io.entraidc.harness

/** Jenkins answers an unknown step with java.lang.NoSuchMethodError "No such DSL method …". */
class NoSuchStepError extends AssertionError {
    NoSuchStepError(String name, Collection<String> known) {
        super((Object) ("No such DSL method '${name}' found among steps ${known.sort()} " +
                '(the harness does not emulate it; a real Jenkins would need the plugin that provides it)'))
    }
}
