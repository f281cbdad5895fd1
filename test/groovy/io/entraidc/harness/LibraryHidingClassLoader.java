package io.entraidc.harness;

/**
 * Hides the library's precompiled classes (io.entraidc.*, but not the harness) so that the
 * CPS class loader compiles them from src/ with the CPS transformer, as Jenkins does.
 * Java, not Groovy: Groovy 2.4 cannot make this protected super call on Java 17.
 */
final class LibraryHidingClassLoader extends ClassLoader {
    LibraryHidingClassLoader(ClassLoader parent) {
        super(parent);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
        if (name.startsWith("io.entraidc.") && !name.startsWith("io.entraidc.harness.")) {
            throw new ClassNotFoundException(name);
        }
        return super.loadClass(name, resolve);
    }
}
