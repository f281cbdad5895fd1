package io.entraidc.harness

import net.sf.json.JSON
import net.sf.json.JSONArray
import net.sf.json.JSONNull
import net.sf.json.JSONObject
import net.sf.json.JSONSerializer

/**
 * readJSON as pipeline-utility-steps answers it (ReadJSONStepExecution.java): json-lib's
 * JSONObject / JSONArray, with JSON null as JSONNull (truthy and != null in Groovy), unless
 * returnPojo: true, which converts to LinkedHashMap / ArrayList / null.
 */
class ReadJsonStep {
    static Object read(File workspaceFile, Map args) {
        if (args.file && args.text) {
            throw new IllegalArgumentException('At most one of file or text must be provided to readJSON.')
        }
        if (!args.file && !args.text) {
            throw new IllegalArgumentException('At least one of file or text needs to be provided to readJSON.')
        }
        String text
        if (args.file) {
            if (workspaceFile.directory) {
                throw new IllegalArgumentException("${workspaceFile} is a directory.")
            }
            if (!workspaceFile.exists()) {
                throw new FileNotFoundException("${workspaceFile} does not exist.")
            }
            text = workspaceFile.getText('UTF-8')
        } else {
            text = (args.text as String).trim()
        }
        JSON json = JSONSerializer.toJSON(text)
        return args.returnPojo ? toPojo(json) : json
    }

    static Object toPojo(Object value) {
        if (value instanceof JSONNull || (value instanceof JSONObject && ((JSONObject) value).nullObject)) {
            return null
        }
        if (value instanceof JSONArray) {
            return ((JSONArray) value).collect { toPojo(it) }
        }
        if (value instanceof JSONObject) {
            Map<String, Object> result = new LinkedHashMap<>()
            ((JSONObject) value).entrySet().each { Map.Entry entry -> result.put(entry.key as String, toPojo(entry.value)) }
            return result
        }
        return value
    }
}
