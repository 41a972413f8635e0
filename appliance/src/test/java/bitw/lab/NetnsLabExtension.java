// JUnit 5 extension that hands a test a fresh NetnsLab parameter and always closes it afterwards, pass or fail.
// Usage: @Tag("netns") @ExtendWith(NetnsLabExtension.class) class FooTest { @Test void x(NetnsLab lab) {...} }
// A @BeforeEach and the test method share one lab; a @BeforeAll parameter gets a lab that lives for the class.
package bitw.lab;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

public final class NetnsLabExtension implements ParameterResolver, AfterEachCallback, AfterAllCallback {

    private static final ExtensionContext.Namespace STORE = ExtensionContext.Namespace.create(NetnsLabExtension.class);
    private static final String KEY = "lab";
    private static final int LOG_LINES_ON_FAILURE = 40;

    @Override
    public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
        return parameter.getParameter().getType() == NetnsLab.class;
    }

    @Override
    public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
        // Namespace tests need root; elsewhere (a developer's laptop) they are skipped, not failed.
        assumeTrue(NetnsLab.isRoot(), "NetnsLab needs root");
        return context.getStore(STORE).getOrComputeIfAbsent(KEY, k -> NetnsLab.open(), NetnsLab.class);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        closeLab(context);
    }

    @Override
    public void afterAll(ExtensionContext context) {
        closeLab(context);
    }

    private static void closeLab(ExtensionContext context) {
        // Only this context's own store: afterEach must not close a class-wide lab made for @BeforeAll.
        NetnsLab lab = context.getStore(STORE).remove(KEY, NetnsLab.class);
        if (lab == null) {
            return;
        }
        if (context.getExecutionException().isPresent()) {
            System.err.println("NetnsLab " + lab.prefix() + ": test failed; process logs follow");
            lab.printProcessLogs(System.err, LOG_LINES_ON_FAILURE);
        }
        lab.close();
    }
}
