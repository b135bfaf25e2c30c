/** {@code jbuild verify}: every blob against its digest, every image's references resolvable. */
package dev.jbuild.store.verify;
