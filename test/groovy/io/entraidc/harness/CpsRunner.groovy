package io.entraidc.harness

import com.cloudbees.groovy.cps.Continuable
import com.cloudbees.groovy.cps.Continuation
import com.cloudbees.groovy.cps.CpsTransformer
import com.cloudbees.groovy.cps.Envs
import com.cloudbees.groovy.cps.impl.CpsCallableInvocation
import org.codehaus.groovy.control.CompilerConfiguration
import org.codehaus.groovy.control.customizers.ImportCustomizer

import java.lang.reflect.InvocationTargetException

/**
 * Compiles pipeline code with groovy-cps' CpsTransformer (as Jenkins' CpsGroovyShell does)
 * and runs it with the CPS interpreter, so code that breaks under CPS breaks here too.
 *
 * The interpreter reports "expected to call X but wound up catching Y" when a closure is
 * handed to a method that is not CPS-transformed (e.g. {@code list.sort { }}): Jenkins logs
 * that mismatch and the result is wrong; the harness turns it into a failure.
 */
class CpsRunner {
    private static final List<String> MISMATCHES = Collections.synchronizedList([])

    static {
        CpsCallableInvocation.registerMismatchHandler({ Object expectedReceiver, String expectedMethodName,
                                                        Object actualReceiver, String actualMethodName ->
            MISMATCHES << ("expected to call ${expectedReceiver?.getClass()?.name}.${expectedMethodName} " +
                    "but wound up catching ${actualReceiver?.getClass()?.name}.${actualMethodName}").toString()
        } as CpsCallableInvocation.MismatchHandler)
    }

    final GroovyClassLoader loader

    CpsRunner(File librarySrc, Class<? extends Script> scriptBaseClass) {
        CompilerConfiguration config = new CompilerConfiguration()
        // As CpsGroovyShell: @NonCPS needs no import in pipeline code.
        config.addCompilationCustomizers(new ImportCustomizer().addImports('com.cloudbees.groovy.cps.NonCPS'),
                new CpsTransformer())
        config.scriptBaseClass = scriptBaseClass.name
        // Groovy 2.4's global transforms fail to load on Java 17 from a child loader; pipeline
        // code needs neither (Jenkins forbids @Grab in libraries loaded from SCM anyway).
        config.disabledGlobalASTTransformations = ['groovy.grape.GrabAnnotationTransformation',
                                                   'org.codehaus.groovy.ast.builder.AstBuilderTransformation'] as Set
        loader = new GroovyClassLoader(new LibraryHidingClassLoader(CpsRunner.classLoader), config)
        if (librarySrc?.directory) {
            loader.addClasspath(librarySrc.absolutePath)
        }
    }

    Class parse(File file) {
        return loader.parseClass(new GroovyCodeSource(file))
    }

    Class parse(String text, String name) {
        return loader.parseClass(new GroovyCodeSource(text, name, '/groovy/script'))
    }

    /** Runs a call into CPS-transformed code to completion and returns its result. */
    Object run(Closure<?> entry) {
        int mismatchesBefore = MISMATCHES.size()
        Object result
        try {
            result = entry.call()
        } catch (CpsCallableInvocation invocation) {
            Continuable program = new Continuable(invocation.invoke(Envs.empty(), null, Continuation.HALT))
            try {
                result = program.run(null)
            } catch (InvocationTargetException e) {
                throw e.cause
            }
        }
        List<String> found = MISMATCHES.subList(mismatchesBefore, MISMATCHES.size()).collect { it }
        if (found) {
            throw new CpsMismatchError(found)
        }
        return result
    }
}
