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
 * HTML escaped, line breaks kept), so a page must carry no markup. Releases: CHANGELOG.md's newest
 * version is the one the README and the help page pin.
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

    @Test
    void theNewestReleaseIsTheOneTheDocumentationPins() {
        List<String> versions = new File(ROOT, 'CHANGELOG.md').readLines()
                .findAll { it.startsWith('## [') }.collect { (it =~ /^## \[([^\]]+)\]/)[0][1] }
        assertEquals('Unreleased', versions[0], 'CHANGELOG.md starts with an Unreleased section')
        String newest = versions[1]
        assertTrue(newest ==~ /\d+\.\d+\.\d+/, "version ${newest} is not MAJOR.MINOR.PATCH")
        assertTrue(README.contains("@Library('entra-idc@v${newest}') _"), "the README does not pin v${newest}")
        assertTrue(new File(ROOT, 'vars/entraSamlSetup.txt').text.contains("@Library('entra-idc@v${newest}') _"))
        assertEquals(versions.unique(false), versions, 'a version appears twice in CHANGELOG.md')
    }
}
