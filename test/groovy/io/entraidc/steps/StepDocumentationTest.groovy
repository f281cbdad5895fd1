package io.entraidc.steps

import io.entraidc.StepOptions
import org.junit.jupiter.params.ParameterizedTest
import org.junit.jupiter.params.provider.ValueSource
import org.junit.jupiter.api.Test

import static org.junit.jupiter.api.Assertions.*

/**
 * The steps' documentation agrees with what they accept, and reads well where Jenkins shows it.
 * Help pages: pipeline-groovy-lib's UserDefinedGlobalVariable.getHelpHtml passes vars/<step>.txt
 * through the controller's markup formatter, by default "Plain text" (EscapedMarkupFormatter:
 * HTML escaped, line breaks kept), so a page must carry no markup. Pins: LibraryPinsTest.
 */
class StepDocumentationTest {
    static final File ROOT = LifecycleEndToEndTest.ROOT
    static final String README = new File(ROOT, 'README.md').getText('UTF-8')

    /** name -> "Type, default value", as StepOptions.usage prints them. */
    static Map<String, String> schema(String step) {
        return StepOptions.usage(step).readLines().collectEntries { String line ->
            def m = line =~ /^  (\w+) \((.*?)\): /
            assertTrue(m.find(), line)
            [(m.group(1)): m.group(2)]
        }
    }

    @ParameterizedTest
    @ValueSource(strings = ['entraSamlSetup', 'entraScimEnable', 'entraTeardown'])
    void helpPageIsPlainTextAndListsEveryParameter(String step) {
        String help = new File(ROOT, "vars/${step}.txt").getText('UTF-8')
        assertFalse((help =~ /<\/?(p|b|i|a|em|strong|code|pre|ul|ol|li|br|div|span|table|tr|td|th|h\d)(\s[^>]*)?\/?>/).find(), "${step}.txt has HTML tags, shown literally by the Plain text formatter".toString())
        assertFalse((help =~ /&[a-z]+;|&#\d+;/).find(), "${step}.txt has HTML entities".toString())
        Map<String, String> listed = help.readLines().findAll { it.startsWith('- ') }.collectEntries { String line ->
            def m = line =~ /^- (\w+) \((.*?)\): /
            assertTrue(m.find(), "parameter line not in the form '- name (Type, default value): ...': ${line}")
            [(m.group(1)): m.group(2)]
        }
        assertEquals(schema(step), listed)
    }

    /**
     * Under the "Safe HTML" formatter (antisamy-markup-formatter, RawHtmlMarkupFormatter.translate:
     * HtmlSanitizer.sanitize with BasicPolicy, nothing else) line breaks are not kept: the page is
     * one run of text, and an unknown element such as "<account>" is dropped. So no "<" may start
     * a tag, and every line ends with punctuation, so that run together the lines still read as
     * separate sentences, list items and statements.
     */
    @ParameterizedTest
    @ValueSource(strings = ['entraSamlSetup', 'entraScimEnable', 'entraTeardown'])
    void helpPageReadsUnderSafeHtmlWhereLineBreaksAreLost(String step) {
        List<String> lines = new File(ROOT, "vars/${step}.txt").readLines('UTF-8')
        assertEquals([], lines.findAll { it =~ /<[A-Za-z\/!?]/ }, "${step}.txt: Safe HTML drops these as elements".toString())
        assertEquals([], lines.findAll { it.trim() && !(it.trim() ==~ /.*[.:;{}]/) },
                "${step}.txt: lines that run into the next one under Safe HTML".toString())
    }

    @ParameterizedTest
    @ValueSource(strings = ['entraSamlSetup', 'entraScimEnable', 'entraTeardown'])
    void readmeParameterTableIsCompleteForEachStep(String step) {
        Map<String, String> rows = [:]
        README.readLines().each { String line ->
            def m = line =~ /^\| `(\w+)` \| (\w+) \| `(.*?)` \| (.*?) \| .* \|$/
            if (m.find() && (m.group(4) == 'all three' || m.group(4) == "`${step}`")) {
                rows[m.group(1)] = "${m.group(2)}, default ${m.group(3)}".toString()
            }
        }
        assertEquals(schema(step), rows)
    }

    /**
     * src/ constructs JDK types that script-security's generic whitelist does not list
     * (jenkinsci/script-security-plugin, src/main/resources/org/jenkinsci/plugins/scriptsecurity/
     * sandbox/whitelists/generic-whitelist, read at a5f0130: it has `new java.util.HashMap
     * java.util.Map` and `new java.lang.Exception java.lang.String`, but no LinkedHashMap
     * constructor, no RuntimeException or IllegalArgumentException constructor), so in the sandbox
     * every step would stop with RejectedAccessException. The README must not offer the sandbox.
     */
    @Test
    void theReadmeDoesNotOfferTheSandboxToALibraryThatCannotRunThere() {
        List<String> outsideTheWhitelist = []
        new File(ROOT, 'src').eachFileRecurse { File f ->
            if (f.name.endsWith('.groovy')) {
                (f.text =~ /new (LinkedHashMap|IllegalArgumentException|RuntimeException)\b|extends RuntimeException\b/).each {
                    outsideTheWhitelist << "${f.name}: ${it[0]}".toString()
                }
            }
        }
        assertFalse(outsideTheWhitelist.isEmpty(), 'src/ no longer needs what the whitelist lacks: the README may offer the sandbox again')
        assertFalse(README.contains('(sandboxed) library'), 'the README offers a sandboxed library')
        assertTrue(README.contains('The library does not run in the sandbox'), 'the README does not say the library needs to be trusted')
    }
}
