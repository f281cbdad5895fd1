package io.entraidc.harness;

import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;

/**
 * Writes a CPS program as Jenkins' RiverWriter does, with the harness's own objects (which
 * stand for what Jenkins replaces with pickles: the build, its log, agent and locks) written
 * as placeholders. Java, not Groovy: Groovy 2.4 cannot make these protected calls on Java 17.
 */
final class PicklingObjectOutputStream extends ObjectOutputStream {
    PicklingObjectOutputStream(OutputStream target) throws IOException {
        super(target);
        enableReplaceObject(true);
    }

    @Override
    protected Object replaceObject(Object obj) {
        if (obj instanceof PipelineHarness || obj instanceof BuildLog || obj instanceof Agent || obj instanceof LockRegistry) {
            return "pickle:" + obj.getClass().getSimpleName();
        }
        return obj;
    }
}
