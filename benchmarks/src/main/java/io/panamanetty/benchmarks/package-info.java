/** JMH micro-benchmarks of the bindings' hot calls and the end-to-end echo harness. */
package io.panamanetty.benchmarks;
