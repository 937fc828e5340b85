// LoadMix and LoadCycle: a collection turned into a load mix (folders, variables resolved once,
// the errors that name the call), weights into whole numbers and an interleaved cycle whose
// proportions are exact over one cycle, and the framed bytes of the cycle.

#include "collection/Collection.h"
#include "collection/Variables.h"
#include "load/LoadCycle.h"
#include "load/LoadMix.h"
#include "wire/Endpoint.h"

#include <QtTest>

#include <cmath>
#include <limits>

using namespace rpcbench;

Q_DECLARE_METATYPE(rpcbench::Collection)
Q_DECLARE_METATYPE(rpcbench::LoadCall)

namespace {

LoadCall call(const QString& method, double weight, bool notification = false)
{
    LoadCall c;
    c.method = method;
    c.weight = weight;
    c.notification = notification;
    return c;
}

SavedCall saved(const QString& name, const QString& method, const QJsonValue& params = QJsonValue::Undefined)
{
    SavedCall c;
    c.name = name;
    c.method = method;
    c.params = params;
    return c;
}

// "Demo": Arithmetic/{add, subtract}, Values/{echo greeting}, and a top-level "now".
Collection demo()
{
    Collection c;
    c.name = QStringLiteral("Demo");
    c.variables.insert(QStringLiteral("greeting"), QStringLiteral("hi"));
    c.items << CollectionItem::makeFolder(
        QStringLiteral("Arithmetic"),
        {CollectionItem::makeCall(saved(QStringLiteral("add"), QStringLiteral("add"), QJsonArray{1, 2, 3})),
         CollectionItem::makeCall(
             saved(QStringLiteral("subtract"), QStringLiteral("subtract"),
                   QJsonObject{{QStringLiteral("minuend"), 10}, {QStringLiteral("subtrahend"), 4}}))});
    c.items << CollectionItem::makeFolder(
        QStringLiteral("Values"),
        {CollectionItem::makeCall(saved(QStringLiteral("echo greeting"), QStringLiteral("echo"),
                                        QJsonArray{QStringLiteral("{{greeting}}")}))});
    c.items << CollectionItem::makeCall(saved(QString(), QStringLiteral("now")));
    return c;
}

} // namespace

class TestLoadMix : public QObject
{
    Q_OBJECT

private slots:
    void convertsACollection()
    {
        QString error;
        const auto mix = LoadMix::fromCollection(demo(), QString(), Variables(), &error);
        QVERIFY2(mix, qPrintable(error));
        QCOMPARE(mix->calls.size(), 4);
        QCOMPARE(mix->calls.at(0).name, QStringLiteral("Arithmetic/add"));
        QCOMPARE(mix->calls.at(0).method, QStringLiteral("add"));
        QCOMPARE(mix->calls.at(0).params, QByteArray("[1,2,3]"));
        QCOMPARE(mix->calls.at(1).params, QByteArray(R"({"minuend":10,"subtrahend":4})"));
        // Variables resolved once, up front: the bytes hold the value.
        QCOMPARE(mix->calls.at(2).params, QByteArray(R"(["hi"])"));
        QCOMPARE(mix->calls.at(3).name, QStringLiteral("now"));
        QVERIFY(mix->calls.at(3).params.isEmpty());
        for (const LoadCall& c : mix->calls)
            QCOMPARE(c.weight, 1.0); // no "weight" in the saved calls: the default
        QVERIFY(mix->target.isEmpty());
        QVERIFY(mix->dialect == Dialect::JsonRpc2);
    }

    void variableLayersApply()
    {
        Variables v;
        v.set(Variables::Layer::Override, QStringLiteral("greeting"), QStringLiteral("hello"));
        QString error;
        const auto mix = LoadMix::fromCollection(demo(), QStringLiteral("Values"), v, &error);
        QVERIFY2(mix, qPrintable(error));
        QCOMPARE(mix->calls.size(), 1);
        QCOMPARE(mix->calls.at(0).params, QByteArray(R"(["hello"])"));
    }

    void selectsAFolderOrOneCall_data()
    {
        QTest::addColumn<QString>("folder");
        QTest::addColumn<QStringList>("names");
        QTest::newRow("all") << ""
                             << QStringList{"Arithmetic/add", "Arithmetic/subtract", "Values/echo greeting",
                                            "now"};
        QTest::newRow("folder") << "Arithmetic" << QStringList{"Arithmetic/add", "Arithmetic/subtract"};
        QTest::newRow("folder with slashes")
            << "/Arithmetic/" << QStringList{"Arithmetic/add", "Arithmetic/subtract"};
        QTest::newRow("one call") << "Arithmetic/subtract" << QStringList{"Arithmetic/subtract"};
    }
    void selectsAFolderOrOneCall()
    {
        QFETCH(QString, folder);
        QFETCH(QStringList, names);
        QString error;
        const auto mix = LoadMix::fromCollection(demo(), folder, Variables(), &error);
        QVERIFY2(mix, qPrintable(error));
        QStringList got;
        for (const LoadCall& c : mix->calls)
            got << c.name;
        QCOMPARE(got, names);
    }

    void errorsNameTheProblem_data()
    {
        QTest::addColumn<Collection>("collection");
        QTest::addColumn<QString>("folder");
        QTest::addColumn<QString>("expected");
        Collection undefinedVar = demo();
        undefinedVar.items << CollectionItem::makeCall(saved(
            QStringLiteral("uses token"), QStringLiteral("echo"), QJsonArray{QStringLiteral("{{token}}")}));
        QTest::newRow("undefined variable") << undefinedVar << ""
                                            << "call 'uses token': variable 'token' is not defined";
        Collection batch = demo();
        SavedCall b = saved(QStringLiteral("two at once"), QString());
        b.batch = QJsonArray{QJsonObject{{QStringLiteral("method"), QStringLiteral("now")}}};
        batch.items << CollectionItem::makeCall(b);
        QTest::newRow("batch") << batch << ""
                               << "call 'two at once': a batch cannot be part of a load mix";
        Collection targets = demo();
        SavedCall t1 = saved(QStringLiteral("here"), QStringLiteral("now"));
        t1.target = QStringLiteral("tcp://127.0.0.1:1");
        SavedCall t2 = saved(QStringLiteral("there"), QStringLiteral("now"));
        t2.target = QStringLiteral("tcp://127.0.0.1:2");
        targets.items << CollectionItem::makeCall(t1) << CollectionItem::makeCall(t2);
        QTest::newRow("two targets") << targets << ""
                                     << "call 'there': its target tcp://127.0.0.1:2 differs";
        Collection dialects = demo();
        SavedCall old = saved(QStringLiteral("old"), QStringLiteral("now"));
        old.dialect = QStringLiteral("1.0");
        dialects.items << CollectionItem::makeCall(old);
        QTest::newRow("two dialects") << dialects << ""
                                      << "call 'old': dialect 1.0 differs";
        QTest::newRow("no such folder") << demo() << "Nope"
                                        << "collection 'Demo' has no folder or call 'Nope'";
        Collection notifications;
        notifications.name = QStringLiteral("N");
        SavedCall n = saved(QStringLiteral("n"), QStringLiteral("update"));
        n.notification = true;
        notifications.items << CollectionItem::makeCall(n);
        QTest::newRow("only notifications") << notifications << ""
                                            << "only notifications";
    }
    void errorsNameTheProblem()
    {
        QFETCH(Collection, collection);
        QFETCH(QString, folder);
        QFETCH(QString, expected);
        QString error;
        QVERIFY(!LoadMix::fromCollection(collection, folder, Variables(), &error));
        QVERIFY2(error.contains(expected), qPrintable(error));
    }

    void oneTargetIsKept()
    {
        Collection c = demo();
        c.variables.insert(QStringLiteral("url"), QStringLiteral("tcp://127.0.0.1:7"));
        SavedCall t = saved(QStringLiteral("targeted"), QStringLiteral("now"));
        t.target = QStringLiteral("{{url}}");
        c.items << CollectionItem::makeCall(t);
        QString error;
        const auto mix = LoadMix::fromCollection(c, QString(), Variables(), &error);
        QVERIFY2(mix, qPrintable(error));
        QCOMPARE(mix->target, QStringLiteral("tcp://127.0.0.1:7"));
    }

    // A saved call's weight reaches its LoadCall and the cycle: add 3, subtract 1 is A A B A.
    void weightsComeFromTheCollection()
    {
        Collection c = demo();
        c.items[0].items[0].call.weight = 3;
        QString error;
        const auto mix = LoadMix::fromCollection(c, QStringLiteral("Arithmetic"), Variables(), &error);
        QVERIFY2(mix, qPrintable(error));
        QCOMPARE(mix->calls.size(), 2);
        QCOMPARE(mix->calls.at(0).weight, 3.0);
        QCOMPARE(mix->calls.at(1).weight, 1.0);
        const std::vector<int> order = LoadMix::cycle(mix->calls, &error);
        QCOMPARE(order, (std::vector<int>{0, 0, 1, 0}));

        // Fractions keep their proportions: 0.75 and 0.25 are the same 3:1 cycle.
        c.items[0].items[0].call.weight = 0.75;
        c.items[0].items[1].call.weight = 0.25;
        const auto fractions = LoadMix::fromCollection(c, QStringLiteral("Arithmetic"), Variables(), &error);
        QVERIFY2(fractions, qPrintable(error));
        QCOMPARE(fractions->calls.at(0).weight, 0.75);
        QCOMPARE(LoadMix::integerWeights(fractions->calls), (std::vector<int>{3, 1}));
        QCOMPARE(LoadMix::cycle(fractions->calls), order);
    }

    // The collection accepts any weight > 0; the mix's limits are checked here, naming the call.
    void tooLargeAWeightNamesTheCall()
    {
        Collection c = demo();
        c.items[0].items[1].call.weight = LoadMix::kMaxCycle + 1;
        QString error;
        QVERIFY(!LoadMix::fromCollection(c, QString(), Variables(), &error));
        QVERIFY2(error.contains(QStringLiteral("call 'Arithmetic/subtract': weight must be a number "
                                               "greater than 0 (and at most 100000)")),
                 qPrintable(error));
    }

    void duplicateNamesAreNumbered()
    {
        Collection c;
        c.name = QStringLiteral("D");
        c.items << CollectionItem::makeCall(saved(QString(), QStringLiteral("now")))
                << CollectionItem::makeCall(saved(QString(), QStringLiteral("now")));
        QString error;
        const auto mix = LoadMix::fromCollection(c, QString(), Variables(), &error);
        QVERIFY2(mix, qPrintable(error));
        QCOMPARE(mix->calls.at(0).name, QStringLiteral("now"));
        QCOMPARE(mix->calls.at(1).name, QStringLiteral("now (2)"));
    }

    void badWeightsAreRefused_data()
    {
        QTest::addColumn<double>("weight");
        QTest::newRow("zero") << 0.0;
        QTest::newRow("negative") << -1.0;
        QTest::newRow("nan") << std::numeric_limits<double>::quiet_NaN();
        QTest::newRow("infinite") << std::numeric_limits<double>::infinity();
        QTest::newRow("too large") << double(LoadMix::kMaxCycle + 1);
    }
    void badWeightsAreRefused()
    {
        QFETCH(double, weight);
        const QList<LoadCall> mix{call(QStringLiteral("add"), 1), call(QStringLiteral("echo"), weight)};
        const QString error = LoadMix::validate(mix);
        QVERIFY2(error.contains(QStringLiteral("call 'echo': weight must be a number greater than 0")),
                 qPrintable(error));
        QVERIFY(LoadMix::cycle(mix).empty());
    }

    void otherBadMixes_data()
    {
        QTest::addColumn<QList<LoadCall>>("mix");
        QTest::addColumn<QString>("expected");
        QTest::newRow("empty") << QList<LoadCall>{} << "no calls";
        QTest::newRow("no method") << QList<LoadCall>{call(QString(), 1)} << "has no method";
        LoadCall badParams = call(QStringLiteral("add"), 1);
        badParams.params = "[1,";
        QTest::newRow("bad params") << QList<LoadCall>{badParams} << "call 'add':";
        QTest::newRow("too fine") << QList<LoadCall>{call(QStringLiteral("a"), 199.999),
                                                     call(QStringLiteral("b"), 0.001)}
                                  << "at most";
    }
    void otherBadMixes()
    {
        QFETCH(QList<LoadCall>, mix);
        QFETCH(QString, expected);
        const QString error = LoadMix::validate(mix);
        QVERIFY2(error.contains(expected), qPrintable(error));
    }

    void weightsScaleToWholeNumbers_data()
    {
        QTest::addColumn<QList<double>>("weights");
        QTest::addColumn<std::vector<int>>("whole");
        QTest::newRow("ones") << QList<double>{1, 1, 1} << std::vector<int>{1, 1, 1};
        QTest::newRow("gcd") << QList<double>{6, 4, 2} << std::vector<int>{3, 2, 1};
        QTest::newRow("decimals") << QList<double>{0.5, 1.5} << std::vector<int>{1, 3};
        QTest::newRow("thousandths") << QList<double>{0.25, 0.125} << std::vector<int>{2, 1};
        QTest::newRow("rounded") << QList<double>{1.0 / 3, 2.0 / 3} << std::vector<int>{333, 667};
    }
    void weightsScaleToWholeNumbers()
    {
        QFETCH(QList<double>, weights);
        QFETCH(std::vector<int>, whole);
        QList<LoadCall> mix;
        for (double w : weights)
            mix << call(QStringLiteral("m%1").arg(mix.size()), w);
        QString error;
        QCOMPARE(LoadMix::integerWeights(mix, &error), whole);
    }

    // Over one cycle every call appears exactly its weight's times, interleaved.
    void cycleProportionsAreExact_data()
    {
        QTest::addColumn<QList<double>>("weights");
        QTest::newRow("one") << QList<double>{1};
        QTest::newRow("equal") << QList<double>{1, 1, 1};
        QTest::newRow("3:2:1") << QList<double>{3, 2, 1};
        QTest::newRow("decimals") << QList<double>{0.5, 1.5, 2};
        QTest::newRow("skewed") << QList<double>{97, 2, 1};
        QTest::newRow("many") << QList<double>{5, 7, 11, 13, 17, 19};
    }
    void cycleProportionsAreExact()
    {
        QFETCH(QList<double>, weights);
        QList<LoadCall> mix;
        for (double w : weights)
            mix << call(QStringLiteral("m%1").arg(mix.size()), w);
        QString error;
        const std::vector<int> whole = LoadMix::integerWeights(mix, &error);
        const std::vector<int> order = LoadMix::cycle(mix, &error);
        QVERIFY2(!order.empty(), qPrintable(error));
        int total = 0;
        for (int w : whole)
            total += w;
        QCOMPARE(int(order.size()), total);
        std::vector<int> counts(whole.size(), 0);
        for (int i : order)
            ++counts[size_t(i)];
        QCOMPARE(counts, whole);
        // Smooth: in every prefix, each call is within two of its exact share (a blocky cycle,
        // all of one call then all of the next, is off by up to the weight itself).
        std::vector<int> seen(whole.size(), 0);
        for (size_t k = 0; k < order.size(); ++k) {
            ++seen[size_t(order[k])];
            for (size_t i = 0; i < whole.size(); ++i) {
                const double exact = double(k + 1) * whole[i] / total;
                QVERIFY2(std::abs(seen[i] - exact) < 2.0,
                         qPrintable(QStringLiteral("call %1 after %2: %3 vs %4")
                                        .arg(i)
                                        .arg(k + 1)
                                        .arg(seen[i])
                                        .arg(exact)));
            }
        }
        QCOMPARE(LoadMix::cycle(mix), order); // deterministic
    }

    void threeToOneInterleaves()
    {
        const std::vector<int> order =
            LoadMix::cycle({call(QStringLiteral("a"), 3), call(QStringLiteral("b"), 1)});
        QCOMPARE(order, (std::vector<int>{0, 0, 1, 0}));
    }

    void cycleBytesAreFramedAndRepeated()
    {
        const QList<LoadCall> mix{call(QStringLiteral("add"), 2), call(QStringLiteral("update"), 1, true)};
        QString error;
        const auto target = Endpoint::parse(QStringLiteral("tcp://127.0.0.1:1"), &error);
        QVERIFY(target);
        const auto cycle = LoadCycle::build(mix, *target, Dialect::JsonRpc2, 5, &error);
        QVERIFY2(cycle, qPrintable(error));
        QCOMPARE(cycle->length, 3);
        QCOMPARE(cycle->repliesPerCycle, 2);
        // From any start in the first cycle, 5 replies' worth of calls fit: 1 + ceil(5 / 2) cycles.
        QCOMPARE(cycle->repeats, 4);
        QCOMPARE(cycle->offsets.size(), size_t(3 * 4 + 1));
        QCOMPARE(cycle->offsets.back(), cycle->bytes.size());
        QCOMPARE(cycle->json.at(0), QByteArray(R"({"id":1,"jsonrpc":"2.0","method":"add"})"));
        QCOMPARE(cycle->json.at(1), QByteArray(R"({"jsonrpc":"2.0","method":"update"})")); // no id
        for (size_t i = 0; i + 1 < cycle->offsets.size(); ++i) {
            const int call = cycle->callOf[i % 3];
            QCOMPARE(cycle->bytes.mid(cycle->offsets[i], cycle->offsets[i + 1] - cycle->offsets[i]),
                     cycle->json.at(call) + '\n');
            QCOMPARE(int(cycle->expectsReply[i % 3]), call == 0 ? 1 : 0);
        }
    }

    void notificationsInOtherDialects()
    {
        QString error;
        const auto target = Endpoint::parse(QStringLiteral("tcp://127.0.0.1:1"), &error);
        const QList<LoadCall> mix{call(QStringLiteral("add"), 1), call(QStringLiteral("update"), 1, true)};
        const auto v1 = LoadCycle::build(mix, *target, Dialect::JsonRpc1, 1, &error);
        QVERIFY2(v1, qPrintable(error));
        QVERIFY(v1->json.at(1).contains(R"("id":null)"));
        QVERIFY(!LoadCycle::build(mix, *target, Dialect::Classic, 1, &error));
        QVERIFY2(error.contains(QStringLiteral("call 'update': the classic dialect has no notifications")),
                 qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestLoadMix)
#include "tst_loadmix.moc"
