package io.entraidc.harness

/** The env global: reads the build environment, and assignments override it (EnvActionImpl). */
class EnvVars implements Serializable {
    private final transient PipelineHarness harness
    final Map<String, String> overrides = [:]

    EnvVars(PipelineHarness harness) { this.harness = harness }

    @Override
    Object getProperty(String name) {
        if (name == 'overrides') {
            return overrides
        }
        return harness.effectiveEnvironment()[name]
    }

    @Override
    void setProperty(String name, Object value) {
        overrides[name] = value == null ? null : String.valueOf(value)
    }

    Map<String, String> getEnvironment() { return harness.effectiveEnvironment() }
}
