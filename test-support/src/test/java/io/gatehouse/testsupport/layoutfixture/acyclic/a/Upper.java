package io.gatehouse.testsupport.layoutfixture.acyclic.a;

import io.gatehouse.testsupport.layoutfixture.acyclic.b.Lower;

/** Fixture for LayoutRulesTest: {@code a} uses {@code b}, never the other way. */
public final class Upper {

    public Lower lower() {
        return new Lower();
    }
}
