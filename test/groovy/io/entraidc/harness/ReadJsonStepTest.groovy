package io.entraidc.harness

import org.junit.jupiter.api.Test

import static org.junit.jupiter.api.Assertions.*

/**
 * readJSON against pipeline-utility-steps' ReadJSONStepExecution.java (jenkinsci/pipeline-utility-steps-plugin)
 * and its help-returnPojo.html: json-lib types by default, JSON null as JSONNull; POJOs and real
 * nulls only with returnPojo: true.
 */
class ReadJsonStepTest {
    static final String TEXT = '{"portal": null, "ids": [1, null], "nested": {"name": "x"}}'

    @Test
    void answersJsonLibTypesWithJsonNullThatIsTruthyAndNotNull() {
        PipelineHarness h = new PipelineHarness(libraryRoot: PipelineHarnessTest.FIXTURE_LIB)
        List seen = (List) h.runScript("""
            def json = readJSON(text: '${TEXT}')
            return [json.getClass().name, json.ids.getClass().name, json.portal.getClass().name,
                    json.portal != null, json.portal ? 'truthy' : 'falsy']
        """)
        assertEquals(['net.sf.json.JSONObject', 'net.sf.json.JSONArray', 'net.sf.json.JSONNull', true, 'truthy'], seen)
    }

    @Test
    void returnPojoAnswersMapsListsAndRealNulls() {
        PipelineHarness h = new PipelineHarness(libraryRoot: PipelineHarnessTest.FIXTURE_LIB)
        new File(h.workspace, 'out.json').text = TEXT
        List seen = (List) h.runScript("""
            node {
                def json = readJSON(file: 'out.json', returnPojo: true)
                return [json.getClass().name, json.ids.getClass().name, json.portal == null, json.ids[1] == null]
            }
        """)
        assertEquals(['java.util.LinkedHashMap', 'java.util.ArrayList', true, true], seen)
    }

    @Test
    void fileAndTextTogetherAreRefused() {
        PipelineHarness h = new PipelineHarness(libraryRoot: PipelineHarnessTest.FIXTURE_LIB)
        IllegalArgumentException e = assertThrows(IllegalArgumentException) {
            h.runScript("node { readJSON(file: 'a.json', text: '{}') }")
        }
        assertEquals('At most one of file or text must be provided to readJSON.', e.message)
    }
}
