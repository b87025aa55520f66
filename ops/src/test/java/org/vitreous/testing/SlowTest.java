package org.vitreous.testing;

/** JUnit category for tests too slow for every build (left out by -Pquick; the default build and .ci/run run them). */
public interface SlowTest {}
