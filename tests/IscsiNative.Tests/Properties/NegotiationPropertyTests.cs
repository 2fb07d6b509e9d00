using IscsiNative.TestShared;
using System.Globalization;
using System.Text;
using CsCheck;
using IscsiNative.Protocol;

namespace IscsiNative.Tests.Properties;

/// <summary>
/// RFC 7143 §13 result functions for any pair of values: Minimum for MaxBurstLength, FirstBurstLength (and never
/// above MaxBurstLength) and DefaultTime2Retain; Maximum for DefaultTime2Wait; OR for InitialR2T; AND for
/// ImmediateData. Checked when the target answers the initiator's offer and when the target proposes and the
/// initiator answers; an answer the result function cannot produce is a protocol error.
/// </summary>
public sealed class NegotiationPropertyTests
{
    private const int Iterations = 200;

    private static readonly Gen<Offer> Offers =
        Gen.Select(Gen.Int[128, 4_194_303], Gen.Int[128, 4_194_303], Gen.Int[0, 3600], Gen.Int[0, 3600], Gen.Bool, Gen.Bool)
            .Select((mb, fb, t2w, t2r, r2t, imm) => new Offer(mb * 4, fb * 4, t2w, t2r, r2t, imm));

    private static readonly Gen<Offer> AnyValues =
        Gen.Select(Gen.Int[512, 16_777_215], Gen.Int[512, 16_777_215], Gen.Int[0, 3600], Gen.Int[0, 3600], Gen.Bool, Gen.Bool)
            .Select((mb, fb, t2w, t2r, r2t, imm) => new Offer(mb, fb, t2w, t2r, r2t, imm));

    [Fact]
    public void Target_answers_with_the_rfc_result_and_the_login_keeps_it()
    {
        Gen.Select(Offers, AnyValues).Sample((ours, theirs) =>
        {
            using var m = Machine(ours, out LoginSettings s);
            Offer expected = Rfc(Effective(s), theirs);
            byte[] buf = new byte[LoginStateMachine.RequestBufferSize];
            m.WriteRequest(buf);
            Respond(m, true, Keys(expected));
            Assert.True(m.IsComplete);
            AssertResult(expected, m.Result);
        }, iter: Iterations, threads: 1);
    }

    [Fact]
    public void Target_proposes_and_the_initiator_answers_and_keeps_the_rfc_result()
    {
        Gen.Select(Offers, AnyValues).Sample((ours, theirs) =>
        {
            using var m = Machine(ours, out LoginSettings s);
            Offer offered = Effective(s);
            byte[] buf = new byte[LoginStateMachine.RequestBufferSize];
            m.WriteRequest(buf);
            Respond(m, false, Keys(offered));         // answers: the offer itself is a valid result
            m.WriteRequest(buf);
            Respond(m, false, Keys(theirs));          // now the target proposes its own values
            int n = m.WriteRequest(buf);
            Offer expected = Rfc(offered, theirs);
            string reply = Encoding.ASCII.GetString(buf, 48, new PduHeader(buf).DataSegmentLength);
            Assert.Equal(Keys(expected with { FirstBurst = Math.Min(offered.FirstBurst, theirs.FirstBurst) }), reply);
            Assert.True(n >= 48);
            Respond(m, true, "");
            AssertResult(expected, m.Result);
        }, iter: Iterations, threads: 1);
    }

    [Fact]
    public void An_answer_the_result_function_cannot_give_is_a_protocol_error()
    {
        // One key answered above a minimum, below a maximum, or as the boolean the result function cannot give. At the
        // numeric edges (MaxBurstLength 16777212, DefaultTime2Wait 0, DefaultTime2Retain 3600) the mutated answer is
        // outside the key's range instead, which is a protocol error as well; the booleans are shaped so that the
        // flipped answer is always the wrong one.
        Gen.Select(Offers, Gen.Int[0, 4]).Select((o, which) => (Offer: which switch
        {
            3 => o with { InitialR2T = true },     // OR: answering No to an offered Yes is wrong
            4 => o with { ImmediateData = false }, // AND: answering Yes to an offered No is wrong
            _ => o,
        }, Which: which)).Sample(t =>
        {
            using var m = Machine(t.Offer, out LoginSettings s);
            byte[] buf = new byte[LoginStateMachine.RequestBufferSize];
            m.WriteRequest(buf);
            Assert.Throws<IscsiProtocolException>(() => Respond(m, true, Keys(Mutate(Effective(s), t.Which))));
        }, iter: Iterations, threads: 1);
    }

    [Fact]
    public void A_boolean_answered_the_other_way_is_valid_where_its_result_function_allows_it()
    {
        // The mirror of the booleans above: Yes to an offered InitialR2T=No (OR) and No to an offered ImmediateData=Yes
        // (AND) are results the RFC allows, and the login keeps them.
        Gen.Select(Offers, Gen.Int[3, 4]).Select((o, which) => (Offer: which == 3
            ? o with { InitialR2T = false }
            : o with { ImmediateData = true }, Which: which)).Sample(t =>
        {
            using var m = Machine(t.Offer, out LoginSettings s);
            Offer answer = Mutate(Effective(s), t.Which);
            byte[] buf = new byte[LoginStateMachine.RequestBufferSize];
            m.WriteRequest(buf);
            Respond(m, true, Keys(answer));
            Assert.True(m.IsComplete);
            AssertResult(answer, m.Result);
        }, iter: Iterations, threads: 1);
    }

    /// <summary>One key answered differently: above a minimum, below a maximum, or the other boolean.</summary>
    private static Offer Mutate(Offer offered, int which) => which switch
    {
        0 => offered with { MaxBurst = offered.MaxBurst + 4 },
        1 => offered with { Time2Wait = offered.Time2Wait - 1 },
        2 => offered with { Time2Retain = offered.Time2Retain + 1 },
        3 => offered with { InitialR2T = !offered.InitialR2T },
        _ => offered with { ImmediateData = !offered.ImmediateData },
    };

    private static LoginStateMachine Machine(Offer o, out LoginSettings settings)
    {
        settings = new LoginSettings
        {
            InitiatorName = "iqn.2016-04.com.open-iscsi:prop",
            TargetName = "iqn.t:prop",
            MaxBurstLength = o.MaxBurst,
            FirstBurstLength = o.FirstBurst,
            DefaultTime2Wait = o.Time2Wait,
            DefaultTime2Retain = o.Time2Retain,
            InitialR2T = o.InitialR2T,
            ImmediateData = o.ImmediateData,
        };
        return new LoginStateMachine(settings);
    }

    /// <summary>What the initiator actually offers after open-iscsi's sanitizing (FirstBurst capped by MaxBurst).</summary>
    private static Offer Effective(LoginSettings s)
    {
        LoginSettings n = s.Normalize();
        return new Offer(n.MaxBurstLength, n.FirstBurstLength, n.DefaultTime2Wait, n.DefaultTime2Retain, n.InitialR2T, n.ImmediateData);
    }

    /// <summary>RFC 7143 §13: Min, Min, Max, Min, OR, AND; FirstBurstLength never above MaxBurstLength (§13.14).</summary>
    private static Offer Rfc(Offer a, Offer b)
    {
        int maxBurst = Math.Min(a.MaxBurst, b.MaxBurst);
        return new Offer(maxBurst, Math.Min(Math.Min(a.FirstBurst, b.FirstBurst), maxBurst), Math.Max(a.Time2Wait, b.Time2Wait),
            Math.Min(a.Time2Retain, b.Time2Retain), a.InitialR2T || b.InitialR2T, a.ImmediateData && b.ImmediateData);
    }

    private static string Keys(Offer o) => string.Create(CultureInfo.InvariantCulture,
        $"DefaultTime2Wait={o.Time2Wait}\0DefaultTime2Retain={o.Time2Retain}\0InitialR2T={YesNo(o.InitialR2T)}\0" +
        $"ImmediateData={YesNo(o.ImmediateData)}\0MaxBurstLength={o.MaxBurst}\0FirstBurstLength={o.FirstBurst}\0");

    private static string YesNo(bool b) => b ? "Yes" : "No";

    private static void AssertResult(Offer expected, NegotiatedParameters p) =>
        Assert.Equal(expected, new Offer(p.MaxBurstLength, p.FirstBurstLength, p.DefaultTime2Wait, p.DefaultTime2Retain, p.InitialR2T, p.ImmediateData));

    private static void Respond(LoginStateMachine m, bool transit, string text)
    {
        byte[] data = Encoding.ASCII.GetBytes(text);
        byte[] bhs = new byte[48];
        TargetPduWriter.WriteLoginResponse(bhs, transit, false, LoginStage.LoginOperationalNegotiation, LoginStage.FullFeaturePhase,
            LoginSettings.IsidFor(0), 1, 0, 1, 1, 1, 0, 0, data.Length);
        m.ProcessResponse(bhs, data);
    }

    private sealed record Offer(int MaxBurst, int FirstBurst, int Time2Wait, int Time2Retain, bool InitialR2T, bool ImmediateData);
}
