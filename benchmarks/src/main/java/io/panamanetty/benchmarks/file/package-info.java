/** A program comparing sendfile(2) with copying through buffers when serving a large file. */
package io.panamanetty.benchmarks.file;
