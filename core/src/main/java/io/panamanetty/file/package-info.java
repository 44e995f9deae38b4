/**
 * Files and descriptors as messages to write: {@link io.panamanetty.file.FileRegion}, a
 * range of a file sent with {@code sendfile(2)} (or read through pooled buffers), and
 * {@link io.panamanetty.file.FileDescriptorHandle}, a descriptor of ours passed over a Unix
 * domain socket ({@code SCM_RIGHTS}) or received from one. Both are reference counted: a
 * write takes the reference, and the last release closes the file.
 */
package io.panamanetty.file;
