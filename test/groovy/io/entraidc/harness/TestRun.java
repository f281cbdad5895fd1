package io.entraidc.harness;

import java.util.UUID;

/**
 * The mark of this test JVM's processes: every sh step the harness runs carries
 * ENTRAIDC_TEST_RUN=<ID> in its environment, and so does every process it starts (Terraform, its
 * provider plugins, the Python automation), wherever the process tree puts them.
 * {@link LeftoverProcessCheck} fails a test that leaves one running. Java, not Groovy: Groovy 2.4
 * cannot call ProcessHandle's static interface methods.
 */
public final class TestRun {
    public static final String VARIABLE = "ENTRAIDC_TEST_RUN";
    public static final String ID = "groovy-" + ProcessHandle.current().pid() + "-" + UUID.randomUUID();

    private TestRun() {
    }
}
