package io.faultline.chaos.toxiproxy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.net.UnknownHostException;
import org.junit.jupiter.api.Test;

/** Listen/upstream address parsing and printing, as the real server shows them. */
class AddressesTest {
    @Test
    void splitsHostPortForms() throws Exception {
        assertEquals(new Addresses.HostPort("127.0.0.1", 80), Addresses.split("127.0.0.1:80"));
        assertEquals(new Addresses.HostPort("::1", 5), Addresses.split("[::1]:5"));
        assertEquals(new Addresses.HostPort("", 0), Addresses.split(":0"));
        assertEquals("address nonsense: missing port in address",
                assertThrows(UnknownHostException.class, () -> Addresses.split("nonsense")).getMessage());
        assertThrows(UnknownHostException.class, () -> Addresses.split("h:99999"));
        assertThrows(UnknownHostException.class, () -> Addresses.split("h:http"));
    }

    @Test
    void printsWildcardsAsIpv6AnyAndResolvesLocalhost() throws Exception {
        assertEquals("[::]:8666", Addresses.format(Addresses.resolveListen("0.0.0.0:8666")));
        assertEquals("[::]:0", Addresses.format(Addresses.resolveListen(":0")));
        assertEquals("[::]:0", Addresses.format(Addresses.resolveListen("")));
        assertEquals("127.0.2.9:7", Addresses.format(Addresses.resolveListen("127.0.2.9:7")));
        assertEquals("[::1]:3", Addresses.format(InetAddress.getByName("::1"), 3));
        assertEquals("127.0.0.1:0", Addresses.format(Addresses.resolveListen("localhost:0")));
    }
}
