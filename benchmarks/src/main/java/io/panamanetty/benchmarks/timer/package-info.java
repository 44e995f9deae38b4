/** A program measuring how late event-loop timers run. */
package io.panamanetty.benchmarks.timer;
