package io.entraidc.demo

/**
 * How long ./lab demo lets the nightly rebuild run before it aborts it, and how long the
 * teardown that follows may take before it is stopped too. tools/demo.sh reads them from
 * --time-limit / --teardown-limit or ENTRAIDC_DEMO_TIME_LIMIT / ENTRAIDC_DEMO_TEARDOWN_LIMIT and
 * passes seconds in the system properties below.
 */
class DemoLimits {
    /** Four times a rebuild here (5 min; 8 under a load average of 10-15), for slower and busier machines. */
    static final long DEFAULT_REBUILD_SECONDS = 20 * 60
    /** Five times a teardown of everything here (about 2 min). */
    static final long DEFAULT_TEARDOWN_SECONDS = 10 * 60

    long rebuildMillis = DEFAULT_REBUILD_SECONDS * 1000
    long teardownMillis = DEFAULT_TEARDOWN_SECONDS * 1000

    static DemoLimits fromSystemProperties() {
        return new DemoLimits(rebuildMillis: seconds('entraidc.demo.timeLimitSeconds', DEFAULT_REBUILD_SECONDS) * 1000,
                teardownMillis: seconds('entraidc.demo.teardownLimitSeconds', DEFAULT_TEARDOWN_SECONDS) * 1000)
    }

    private static long seconds(String property, long defaultSeconds) {
        String value = System.getProperty(property)
        if (!value) {
            return defaultSeconds
        }
        if (!(value ==~ /[1-9][0-9]*/)) {
            throw new IllegalArgumentException("${property} must be a positive number of seconds, not '${value}'")
        }
        return value as long
    }

    /** "20 min", "90 s", "2 min 30 s". */
    static String describe(long millis) {
        long seconds = Math.round(millis / 1000d)
        long minutes = seconds.intdiv(60) as long
        long rest = seconds % 60
        if (minutes == 0) {
            return "${rest} s"
        }
        return rest == 0 ? "${minutes} min" : "${minutes} min ${rest} s"
    }
}
