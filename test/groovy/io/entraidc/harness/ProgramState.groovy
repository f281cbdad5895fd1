package io.entraidc.harness

import com.cloudbees.groovy.cps.Continuable

/**
 * Saves the program at a step boundary as Jenkins does (workflow-cps CpsThreadGroup.saveProgram,
 * run at every step with the default durability): everything reachable from the CPS program
 * (locals, fields, closures, the library's objects) must be Serializable, or the step fails with
 * java.io.NotSerializableException naming the class (Jenkins hands that error to the running
 * thread, CpsThreadGroup.propagateErrorToWorkflow). What Jenkins replaces with pickles (the
 * script's steps and globals) is the harness itself here and is written as a placeholder.
 */
class ProgramState {
    static void save(Continuable program) throws NotSerializableException {
        ObjectOutputStream out = new PicklingObjectOutputStream(new ByteArrayOutputStream())
        try {
            out.writeObject(program)
        } finally {
            out.close()
        }
    }

}
