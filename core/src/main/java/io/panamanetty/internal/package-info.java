/** Framework internals shared between the core's packages; not exported. */
package io.panamanetty.internal;
