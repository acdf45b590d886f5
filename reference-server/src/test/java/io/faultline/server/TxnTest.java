package io.faultline.server;

import static org.junit.jupiter.api.Assertions.*;

import io.faultline.server.tree.DataTree;
import io.faultline.server.txn.Txn;
import io.faultline.server.txn.TxnBody;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.apache.zookeeper.data.ACL;
import org.apache.zookeeper.data.Id;

class TxnTest {
    @Provide
    Arbitrary<TxnBody> bodies() {
        Arbitrary<String> path = Arbitraries.strings().withCharRange('a', 'z').ofMinLength(1).ofMaxLength(8).map(s -> "/" + s);
        Arbitrary<byte[]> data = Arbitraries.bytes().array(byte[].class).ofMaxSize(20).injectNull(0.2);
        Arbitrary<List<ACL>> acl = Arbitraries.of(DataTree.OPEN_ACL, List.of(new ACL(3, new Id("digest", "u:abc="))));
        Arbitrary<Integer> ints = Arbitraries.integers();
        Arbitrary<TxnBody> single = Arbitraries.oneOf(
                Combinators.combine(path, data, acl, Arbitraries.longs(), ints, Arbitraries.of(1, 15, 19, 21)).as(TxnBody.CreateTxn::new),
                path.map(TxnBody.DeleteTxn::new),
                Combinators.combine(path, data, ints).as(TxnBody.SetDataTxn::new),
                Combinators.combine(path, acl, ints).as(TxnBody.SetAclTxn::new),
                Combinators.combine(path, ints).as(TxnBody.CheckTxn::new),
                ints.map(TxnBody.ErrorTxn::new),
                Combinators.combine(ints, Arbitraries.bytes().array(byte[].class).ofSize(16)).as(TxnBody.CreateSessionTxn::new),
                path.list().ofMaxSize(4).map(TxnBody.CloseSessionTxn::new));
        return Arbitraries.oneOf(single, single.list().ofMaxSize(4).map(TxnBody.MultiTxn::new));
    }

    @Property(tries = 300)
    void serializationRoundTrips(@ForAll("bodies") TxnBody body, @ForAll long sid, @ForAll int cxid, @ForAll long zxid) {
        var txn = new Txn(sid, cxid, zxid, 12345L, body);
        byte[] bytes = txn.serialize();
        Txn back = Txn.deserialize(bytes);
        assertArrayEquals(bytes, back.serialize());
        assertEquals(txn.type(), back.type());
        assertEquals(zxid, back.zxid());
    }

    @Property(tries = 200)
    void truncatedBytesAreRejectedNotMisread(@ForAll("bodies") TxnBody body, @ForAll int cut) {
        byte[] bytes = new Txn(1, 2, 3, 4, body).serialize();
        int len = Math.floorMod(cut, bytes.length);
        byte[] shortBytes = java.util.Arrays.copyOf(bytes, len);
        assertThrows(IllegalArgumentException.class, () -> Txn.deserialize(shortBytes));
    }
}
