package io.entraidc.steps

import org.junit.jupiter.api.Test

import static org.junit.jupiter.api.Assertions.*

/**
 * Every version the documentation tells a Jenkinsfile to load (`entra-idc@<version>` in the README,
 * the help pages and the CHANGELOG) exists in the published repository. Only the branch main is
 * published, without tags, and pipeline-groovy-lib's SCMSourceRetriever stops a build whose
 * version its SCM cannot retrieve ("No version … found for library …"): so each pin must resolve
 * with git rev-parse here and be main itself or a commit of main's history. Runs on a fresh clone
 * of main (no tags there); a shallow clone lacks the history and is refused with that reason.
 */
class LibraryPinsTest {
    static final File ROOT = LifecycleEndToEndTest.ROOT
    /** A pin as written: after "entra-idc@", up to a quote, bracket or space; "<…>" placeholders are not pins. */
    static final java.util.regex.Pattern PIN = ~/entra-idc@([A-Za-z0-9][A-Za-z0-9._\/-]*)/

    static List<File> documents() {
        List<File> files = [new File(ROOT, 'README.md'), new File(ROOT, 'CHANGELOG.md')]
        files.addAll(new File(ROOT, 'vars').listFiles().findAll { it.name.endsWith('.txt') }.sort())
        return files
    }

    static String git(String... args) {
        Process p = (['git', '-C', ROOT.path] + args.toList()).execute()
        String out = p.inputStream.text.trim()
        p.waitFor()
        return p.exitValue() == 0 ? out : null
    }

    /** The commit a pin names: main or a branch as the clone knows it, or a commit ID. */
    static String resolve(String version) {
        return git('rev-parse', '--verify', '--quiet', "${version}^{commit}") ?:
                git('rev-parse', '--verify', '--quiet', "origin/${version}^{commit}")
    }

    @Test
    void everyDocumentedPinResolvesToMainOrACommitOfItsHistory() {
        assertNotEquals('true', git('rev-parse', '--is-shallow-repository'),
                'a shallow clone lacks the commits the documentation pins: clone with the full history (git fetch --unshallow)')
        String main = resolve('main')
        assertNotNull(main, 'this clone has no branch main')
        Map<String, List<String>> pins = [:]
        documents().each { File f ->
            f.getText('UTF-8').eachMatch(PIN) { List m -> pins.computeIfAbsent((String) m[1]) { [] } << f.name }
        }
        assertTrue(pins.keySet().any { it ==~ /[0-9a-f]{40}/ }, "no commit pin in ${documents()*.name}: ${pins}")
        List<String> broken = []
        pins.each { String version, List<String> where ->
            String commit = resolve(version)
            boolean onMain = commit != null && git('merge-base', '--is-ancestor', commit, main) != null
            if (!onMain) {
                broken << "entra-idc@${version} (in ${where.unique().join(', ')}): ${commit == null ? 'does not resolve' : 'not a commit of main'}".toString()
            }
        }
        assertEquals([], broken, 'pins a Jenkins build would not find in the published repository (only main, no tags)')
    }

    @Test
    void theNewestReleaseNamesItsCommitAndTheReadmePinsIt() {
        List<String> lines = new File(ROOT, 'CHANGELOG.md').readLines()
        List<Integer> headings = lines.findIndexValues { it.startsWith('## [') }*.intValue()
        assertEquals('## [Unreleased]', lines[headings[0]], 'CHANGELOG.md starts with an Unreleased section')
        String newest = (lines[headings[1]] =~ /^## \[([^\]]+)\]/)[0][1]
        assertTrue(newest ==~ /\d+\.\d+\.\d+/, "version ${newest} is not MAJOR.MINOR.PATCH")
        String section = lines.subList(headings[1], headings.size() > 2 ? headings[2] : lines.size()).join('\n')
        def pin = section =~ /@Library\('entra-idc@([0-9a-f]{40})'\) _/
        assertTrue(pin.find(), "the section of ${newest} names no commit to pin")
        String readme = new File(ROOT, 'README.md').getText('UTF-8')
        assertTrue(readme.contains("@Library('entra-idc@${pin.group(1)}') _"), "the README does not pin ${newest}'s commit")
        assertFalse(documents()*.getText('UTF-8').join().contains('entra-idc@v'), 'a tag pin: tags are not published')
        List<String> versions = headings.collect { (lines[it] =~ /^## \[([^\]]+)\]/)[0][1] }
        assertEquals(versions.unique(false), versions, 'a version appears twice in CHANGELOG.md')
    }
}
