package org.vitreous.testing;

/** JUnit category for tests too slow for every build (run with -Pslow; .ci/run runs them). */
public interface SlowTest {}
