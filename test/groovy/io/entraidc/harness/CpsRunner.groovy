package io.entraidc.harness

import com.cloudbees.groovy.cps.Continuable
import com.cloudbees.groovy.cps.Continuation
import com.cloudbees.groovy.cps.CpsTransformer
import com.cloudbees.groovy.cps.Envs
import com.cloudbees.groovy.cps.Outcome
import com.cloudbees.groovy.cps.impl.CpsCallableInvocation
import org.codehaus.groovy.control.CompilerConfiguration
import org.codehaus.groovy.control.customizers.ImportCustomizer

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
            if (harnessDispatch(actualReceiver, actualMethodName)) {
                return
            }
            MISMATCHES << ("expected to call ${expectedReceiver?.getClass()?.name}.${expectedMethodName} " +
                    "but wound up catching ${actualReceiver?.getClass()?.name}.${actualMethodName}").toString()
        } as CpsCallableInvocation.MismatchHandler)
    }

    final GroovyClassLoader loader
    /** As CpsVmExecutorService runs the CPS VM: groovy-cps' own categories plus the serializable iterators. */
    static final List<Class> CATEGORIES = Continuable.categories + [SerializableIterators]

    /**
     * Not mismatches: a step reached through HarnessScript.methodMissing lands in BlockSteps.step
     * or .block (as Jenkins' DSL lands in its step), and Continuable.suspend's own marker.
     */
    private static boolean harnessDispatch(Object actualReceiver, String actualMethodName) {
        return actualMethodName == 'suspend?' ||
                (actualReceiver?.getClass()?.name == 'io.entraidc.harness.BlockSteps' && actualMethodName in ['step', 'block'])
    }

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
        GroovyCodeSource source = new GroovyCodeSource(text, name, '/groovy/script')
        // Not cached by name: every run of a script text compiles that text.
        source.cachable = false
        return loader.parseClass(source)
    }

    /**
     * Runs a call into CPS-transformed code to completion and returns its result. Each step the
     * code calls suspends the program ({@link StepCall}); the program is saved
     * ({@link ProgramState}), the step runs in {@code host}, and the program resumes with its
     * result or its exception, as a Jenkins CPS thread does.
     */
    Object run(Closure<?> entry, StepHost host) {
        int mismatchesBefore = MISMATCHES.size()
        Object result
        try {
            result = entry.call()
        } catch (CpsCallableInvocation invocation) {
            Continuable program = new Continuable(invocation.invoke(Envs.empty(), null, Continuation.HALT))
            Outcome outcome = program.run0(new Outcome(null, null), CATEGORIES)
            while (program.resumable) {
                outcome = program.run0(host.perform((StepCall) outcome.normal, program), CATEGORIES)
            }
            checkMismatches(mismatchesBefore)
            return outcome.replay()
        }
        checkMismatches(mismatchesBefore)
        return result
    }

    private static void checkMismatches(int before) {
        List<String> found = MISMATCHES.subList(before, MISMATCHES.size()).collect { it }
        if (found) {
            throw new CpsMismatchError(found)
        }
    }

    /** Runs the steps a CPS program suspends for. */
    interface StepHost {
        Outcome perform(StepCall call, Continuable program)
    }
}
