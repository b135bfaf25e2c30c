/** jbuild's runtime module (see DESIGN.md section 1). */
package dev.jbuild.runtime;
