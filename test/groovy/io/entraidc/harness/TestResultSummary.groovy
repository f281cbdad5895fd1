package io.entraidc.harness

/** What the junit step returns in Jenkins (hudson.tasks.junit.TestResultSummary): not a Map. */
class TestResultSummary implements Serializable {
    final int totalCount
    final int failCount
    final int skipCount
    final int passCount

    TestResultSummary(int totalCount, int failCount, int skipCount, int passCount) {
        this.totalCount = totalCount
        this.failCount = failCount
        this.skipCount = skipCount
        this.passCount = passCount
    }

    @Override
    String toString() {
        return "TestResultSummary(total ${totalCount}, failed ${failCount}, skipped ${skipCount}, passed ${passCount})"
    }
}
