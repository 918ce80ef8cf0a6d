#!/usr/bin/env python3
"""Write the kvm-* profile scenarios of scenarios/hyp/ (docs/migration.md,
"Versioned KVM profiles").  Expectations are derived here from the upstream
rules each scenario cites, independently of the model."""
import os

HERE = os.path.dirname(os.path.abspath(__file__))

R_INJ_OLD = "Linux v4.19-v6.16 arch/arm64/kvm/inject_fault.c pend_guest_serror"
R_INJ_NEW = "Linux v6.17 arch/arm64/kvm/inject_fault.c kvm_inject_serror_esr"
R_IL_FIX = "Linux v7.2 arch/arm64/kvm/inject_fault.c (\"Set IL for emulated SError injection\", June 2026)"
R_GET = "Linux arch/arm64/kvm/guest.c __kvm_arm_vcpu_get_events"
R_SET = "Linux arch/arm64/kvm/guest.c __kvm_arm_vcpu_set_events"
R_SET_OLD = "Linux v5.5-v6.16 arch/arm64/kvm/guest.c __kvm_arm_vcpu_set_events (SError part checked before ext_dabt_pending)"
R_SET_NEW = "Linux v6.17 arch/arm64/kvm/guest.c __kvm_arm_vcpu_set_events (\"Immediately commit the pending SEA\", then the SError checks)"
R_QEMU = "QEMU v7.2.0 target/arm/kvm.c kvm_put_vcpu_events"
R_FC = "firecracker src/vmm/src/vstate/vcpu/aarch64.rs VcpuState (no vcpu events on arm64)"
R_CH = "cloud-hypervisor vmm/src/cpu.rs (kvm_vcpu_events saved on x86_64 only)"
R_NMEA = "Linux v6.17 arch/arm64/kvm/inject_fault.c serror_is_masked, __effective_sctlr2_bit (PSTATE.A and not SCTLR2_EL1.NMEA)"
R_NESTED = "Linux v6.17 arch/arm64/kvm/inject_fault.c kvm_inject_serror_esr, kvm_serror_undeliverable_at_el2 (NESTED_SERROR_PENDING; arch/arm64/kvm/nested.c kvm_nested_flush_hwstate)"
R_AMO = "Linux v6.18 \"KVM: arm64: nv: Treat AMO as 1 when at EL2 and {E2H,TGE} = {1, 0}\"; ARM-M HCR_EL2.AMO (Known Issue D22105)"

# profile -> (vinject is deliver-or-pend, emulated IL, commit order, amo one)
PROFILES = {
    "kvm-4.19": (False, 1, "serror-first", False),
    "kvm-6.17": (True, 0, "abort-first", False),
    "kvm-6.18": (True, 0, "abort-first", True),
    "kvm-6.19": (True, 0, "abort-first", True),
    "kvm-7.2": (True, 1, "abort-first", True),
}

IL = 1 << 25


def esr_serror(iss, il=1):
    return (0x2F << 26) | (IL if il else 0) | iss


def write(name, profile, desc, rule, body, tags="hyp kvm"):
    text = (f"scenario: {name}\nprofile: {profile}\ndescription: {desc}\nrule: {rule}\n"
            f"tags: {tags}\n\n# Written by scenarios/hyp/generate.py.\n\n{body}")
    with open(os.path.join(HERE, name + ".scn"), "w") as f:
        f.write(text)


GUEST_TWO = """[init]
PSTATE.EL = 1
PSTATE.SP = 1
PSTATE.A = {a}
HCR_EL2.AMO = 1
PC = start

[code]
# The handler keeps the first ESR_EL1 in X11 and the second in X12.
start:
    nop
    nop
    nop
    msr daifclr, #4
    nop
    nop
    end

.vector EL1 curr_spx serror
    mrs x0, esr_el1
    cbnz x11, second
    mov x11, x0
    eret
second:
    mov x12, x0
    eret
"""


def set_while_pending():
    """A UER vSError pending, userspace SETs a CE: 4.19-6.16 overwrite,
    6.17+ deliver at once when unmasked (IL 0 until the fix)."""
    for prof, (deliver, il, _, _) in PROFILES.items():
        for masked in (True, False):
            m = "masked" if masked else "unmasked"
            name = f"{prof}-set-while-pending-{m}"
            exp = ["vmops == 1", "vmop1.set == ok", "vmop1.sent.esr == 0x1811"]
            if deliver and not masked:
                exp += ["exceptions == 2", f"X11 == {esr_serror(0xc11, il):#x}",
                        f"X12 == {esr_serror(0x1811):#x}", "ledger.lost == 0"]
                what = ("UER entered at once by the emulated entry (IL = %d), CE pended by SET "
                        "and taken after the handler returns: two SErrors" % il)
            else:
                exp += ["exceptions == 1", f"X11 == {esr_serror(0x1811):#x}", "X12 == 0",
                        "ledger.lost == 1"]
                what = "VSESR_EL2 overwritten: one SError, CE; the UER is lost"
            rule = (R_INJ_NEW if deliver else R_INJ_OLD) + "; " + R_SET
            if deliver and il:
                rule += "; " + R_IL_FIX
            body = ("[cpu]\nras = on\n\n" + GUEST_TWO.format(a=1 if masked else 0) +
                    "\n[events]\nat 0: vserror AET=UER\nat 0: set_events pending=1 has_esr=1 esr=0x1811\n\n"
                    "[expect]\n" + "\n".join(exp) + "\n")
            write(name, prof, f"SET with a CE syndrome while a UER vSError is pending, guest {m}: {what}",
                  rule, body)


GUEST_GET = """[init]
PSTATE.EL = 1
PSTATE.SP = 1
PSTATE.A = {a}
HCR_EL2.AMO = 1
PC = start

[code]
start:
    nop
    nop
    nop
    nop
    end

.vector EL1 curr_spx serror
    mrs x0, esr_el1
    eret
"""


def get_events():
    """GET on its own (the KVM selftest's pattern: SET, then GET)."""
    for prof in ("kvm-4.19", "kvm-6.17", "kvm-7.2"):
        deliver, il, _, _ = PROFILES[prof]
        for masked in (True, False):
            m = "masked" if masked else "unmasked"
            name = f"{prof}-get-after-set-{m}"
            exp = ["vmops == 2", "vmop1.set == ok", "vmop2.get == 1"]
            if deliver and not masked:
                exp += ["vmop2.got.pending == 0", "vmop2.got.has_esr == 1", "vmop2.got.esr == 0",
                        "exceptions == 1", f"X0 == {esr_serror(0x811, il):#x}"]
                what = "the SError was entered at once: GET reads pending = 0"
            else:
                exp += ["vmop2.got.pending == 1", "vmop2.got.has_esr == 1", "vmop2.got.esr == 0x811"]
                exp += ["exceptions == 0"] if masked else ["exceptions == 1", f"X0 == {esr_serror(0x811):#x}"]
                what = "GET reads the pending SError and its ESR"
            body = ("[cpu]\nras = on\n\n" + GUEST_GET.format(a=1 if masked else 0) +
                    "\n[events]\nat 0: set_events pending=1 has_esr=1 esr=0x811\nat 0: get_events\n\n"
                    "[expect]\n" + "\n".join(exp) + "\n")
            rule = R_SET + "; " + R_GET + "; " + (R_INJ_NEW if deliver else R_INJ_OLD)
            write(name, prof, f"SET a UEO vSError, then GET on its own, guest {m}: {what}", rule, body)
    # Nothing pending, on a RAS and a non-RAS host: has_esr is the host's RAS.
    for ras in (1, 0):
        name = f"kvm-7.2-get-nothing-pending-ras{ras}"
        exp = ["vmops == 1", "vmop1.get == 1", "vmop1.got.pending == 0",
               f"vmop1.got.has_esr == {ras}", "vmop1.got.esr == 0", "vmop1.got.ext_dabt_pending == 0"]
        body = (("[cpu]\nras = on\n\n" if ras else "[cpu]\nras = off\niesb = off\n\n") + GUEST_GET.format(a=1) +
                "\n[events]\nat 1: get_events\n\n[expect]\n" + "\n".join(exp) + "\n")
        write(name, "kvm-7.2", f"GET with nothing pending on a host {'with' if ras else 'without'} RAS: has_esr is the host's capability",
              R_GET + " (has_esr = ARM64_HAS_RAS_EXTN, ext_dabt_pending never reported)", body)
    # A vSError pended by the hypervisor on a non-RAS host: no ESR to read.
    name = "kvm-4.19-get-noras-pending"
    exp = ["vmops == 1", "vmop1.got.pending == 1", "vmop1.got.has_esr == 0", "vmop1.got.esr == 0"]
    body = ("[cpu]\nras = off\niesb = off\n\n" + GUEST_GET.format(a=1) +
            "\n[events]\nat 0: vserror\nat 1: get_events\n\n[expect]\n" + "\n".join(exp) + "\n")
    write(name, "kvm-4.19", "GET on a host without RAS with a vSError pending: pending = 1, no ESR",
          R_GET + "; " + R_INJ_OLD, body)
    # SET without an ESR on a RAS host: KVM makes up ESR_ELx_ISV; GET shows it.
    for prof in ("kvm-4.19", "kvm-7.2"):
        name = f"{prof}-get-made-up-isv"
        exp = ["vmops == 2", "vmop2.got.pending == 1", "vmop2.got.has_esr == 1",
               "vmop2.got.esr == 0x1000000"]
        body = ("[cpu]\nras = on\n\n" + GUEST_GET.format(a=1) +
                "\n[events]\nat 0: set_events pending=1\nat 1: get_events\n\n[expect]\n" + "\n".join(exp) + "\n")
        write(name, prof, "SET without an ESR on a RAS host, then GET: KVM made up ESR_ELx_ISV (IDS = 1, ISS 0)",
              R_SET + "; Linux arch/arm64/kvm/inject_fault.c kvm_inject_vabt (ESR_ELx_ISV); " + R_GET, body)


def atomicity():
    """ext_dabt_pending with a refused SError part: whether the abort is
    committed depends on the order of the checks."""
    cases = [
        ("bad-esr", "pending=1 has_esr=1 esr=0x2000000", True, "an ESR outside ISS[24:0]"),
        ("valid", "pending=1 has_esr=1 esr=0x811", False, "a valid ESR"),
        ("no-serror", "pending=0", False, "no SError"),
    ]
    for prof in ("kvm-4.19", "kvm-6.17", "kvm-7.2"):
        _, _, order, _ = PROFILES[prof]
        for tag, fields, bad, what in cases:
            name = f"{prof}-set-dabt-{tag}"
            committed = 0 if (bad and order != "abort-first") else 1
            exp = ["vmops == 1", f"vmop1.set == {'EINVAL' if bad else 'ok'}",
                   "vmop1.sent.ext_dabt_pending == 1", f"vmop1.abort_committed == {committed}"]
            body = ("[cpu]\nras = on\n\n" + GUEST_GET.format(a=1) +
                    f"\n[events]\nat 0: set_events ext_dabt_pending=1 {fields}\n\n[expect]\n" + "\n".join(exp) + "\n")
            rule = R_SET_NEW if order == "abort-first" else R_SET_OLD
            res = ("EINVAL with the abort committed (not atomic)" if bad and committed else
                   "EINVAL, nothing committed" if bad else "the abort committed")
            write(name, prof, f"SET with ext_dabt_pending and {what}: {res}", rule, body)
    # The default (atomic) restated over a kvm profile: [cpu] adjusts it.
    name = "kvm-7.2-set-dabt-bad-esr-atomic"
    exp = ["vmops == 1", "vmop1.set == EINVAL", "vmop1.abort_committed == 0"]
    body = ("[cpu]\nras = on\nset_commit = atomic                # what an atomic SET would do\n\n" + GUEST_GET.format(a=1) +
            "\n[events]\nat 0: set_events ext_dabt_pending=1 pending=1 has_esr=1 esr=0x2000000\n\n[expect]\n" + "\n".join(exp) + "\n")
    write(name, "kvm-7.2", "the refused request of kvm-7.2-set-dabt-bad-esr under an atomic SET: nothing committed",
          R_SET_NEW + "; an atomic SET as the fix would make it", body)
    name = "kvm-6.17-set-dabt-has-esr-noras"
    exp = ["vmops == 1", "vmop1.set == EINVAL", "vmop1.abort_committed == 1"]
    body = ("[cpu]\nras = off\niesb = off\n\n" + GUEST_GET.format(a=1) +
            "\n[events]\nat 0: set_events ext_dabt_pending=1 pending=1 has_esr=1 esr=0x811\n\n[expect]\n" + "\n".join(exp) + "\n")
    write(name, "kvm-6.17", "SET with ext_dabt_pending and has_esr on a host without RAS: EINVAL after the abort was committed",
          R_SET_NEW, body)


GUEST_MIG = """[init]
PSTATE.EL = 1
PSTATE.SP = 1
PSTATE.A = 1
HCR_EL2.AMO = 1
PC = start

[code]
start:
    nop
    nop
    nop
    msr daifclr, #4
    nop
    end

.vector EL1 curr_spx serror
    mrs x0, esr_el1
    eret
"""


def vmms():
    """A pending UEO vSError migrated RAS -> RAS by each VMM."""
    for prof in ("kvm-4.19", "kvm-7.2"):
        for vmm in ("qemu", "qemu-noesr", "firecracker", "cloud-hypervisor"):
            name = f"{prof}-migrate-{vmm}-ras-to-ras"
            exp = ["vmops == 1", "vmop1.migration == 1"] + ([f"vmop1.vmm == {vmm}"] if "-" not in vmm else []) + [
                   "vmop1.saved.pending == 1", "vmop1.saved.esr == 0x811"]
            if vmm == "qemu":
                exp += ["vmop1.sent.esr == 0x811", "exceptions == 1", f"X0 == {esr_serror(0x811):#x}",
                        "ledger.lost == 0"]
                what, rule = "preserved", R_QEMU
            elif vmm == "qemu-noesr":
                exp += ["vmop1.sent.has_esr == 0", "vmop1.esr_dropped == 1", "exceptions == 1",
                        f"X0 == {esr_serror(0x1000000):#x}"]
                what = "ESR dropped: KVM makes up ESR_ELx_ISV, UEO becomes IMPLEMENTATION DEFINED"
                rule = R_QEMU + " (cap_has_inject_serror_esr); Linux arch/arm64/kvm/inject_fault.c kvm_inject_vabt"
            else:
                exp += ["vmop1.sent.pending == 0", "vmop1.events_dropped == 1", "exceptions == 0",
                        "X0 == 0", "ledger.lost == 1"]
                what = "no vcpu events saved: the SError is lost"
                rule = R_FC if vmm == "firecracker" else R_CH
            body = ("[cpu]\nras = on\n\n[host B]\nras = on\n\n" + GUEST_MIG +
                    f"\n[events]\nat 0: vserror AET=UEO\nat 1: migrate to B vmm={vmm}\n\n[expect]\n" + "\n".join(exp) + "\n")
            write(name, prof, f"a pending UEO vSError migrated between RAS hosts through {vmm}: {what}",
                  rule + "; " + R_GET + "; " + R_SET, body, tags="hyp kvm migration")


AMO_BODY = """[init]
PSTATE.EL = 2
PSTATE.SP = 1
PSTATE.A = 1
HCR_EL2.E2H = 1
HCR_EL2.AMO = 0

[code]
start:
trigger:
    nop
    msr daifclr, #4
after:
    nop
    end

.vector EL2 curr_spx serror
    mrs x0, esr_el2
    end

[events]
at trigger: serror AET=UER

[expect]
"""


def amo():
    """A guest hypervisor at vEL2 with {E2H,TGE} = {1,0} and AMO = 0."""
    for prof in ("kvm-6.17", "kvm-6.18", "kvm-7.2"):
        one = PROFILES[prof][3]
        name = f"{prof}-vel2-e2h1-tge0-amo0-serror"
        if one:
            exp = ["stop == end", "exceptions == 1", "ESR_EL2 == 0xbe000c11", "ELR_EL2 == after"]
            what = "AMO treated as 1: the SError is taken at (v)EL2"
        else:
            exp = ["stop == end", "exceptions == 0", "ledger.pending == 1"]
            what = "the programmed AMO = 0: the SError stays pending at (v)EL2"
        write(name, prof, f"an SError at (v)EL2 with {{E2H,TGE}} = {{1,0}} and AMO = 0: {what}",
              R_AMO, AMO_BODY + "\n".join(exp) + "\n", tags="hyp kvm nested amo")


DISR_BODY = """[cpu]                            # host A
ras = on

[host B]                         # no RAS
ras = off
iesb = off

[host C]
ras = on

[init]
PSTATE.EL = 1
PSTATE.SP = 1
PSTATE.A = 1
HCR_EL2.AMO = 1
PC = start

[code]
start:
    esb                          # the pending vSError is deferred into VDISR_EL2
    nop
    nop
    nop
    nop
    nop
    mrs x1, disr_el1             # on C: the guest's DISR_EL1, kept through B
    end

[events]
at 0: vserror AET=UEO
at 2: migrate to B vmm={vmm}
at 4: migrate to C vmm={vmm}

[expect]
vmops == 2
exceptions == 0
X1 == 0x80000811
VDISR_EL2 == 0x80000811
"""


NMEA_BODY = """[cpu]
ras = on
double_fault = on
double_fault2 = on
sctlr2 = on
hcx = on

[init]
PSTATE.EL = 1
PSTATE.SP = 1
PSTATE.A = 1                     # the guest masks SErrors...
SCR_EL3.SCTLR2En = 1
SCR_EL3.HXEn = 1
HCRX_EL2.SCTLR2En = 1
SCTLR2_EL1.NMEA = 1              # ...but asks for non-maskable ones (FEAT_DoubleFault2)
HCR_EL2.AMO = 1
PC = start

[code]
start:
    nop
set:
    nop
    nop
    end

.vector EL1 curr_spx serror
    mrs x0, esr_el1
    end

[events]
at 1: set_events pending=1 has_esr=1 esr=0x811

[expect]
"""


def nmea():
    """A guest with SCTLR2_EL1.NMEA = 1 and PSTATE.A = 1: from 6.17 KVM's
    serror_is_masked says unmasked, so SET emulates the entry at once (IL 0
    until the fix); 4.19-6.16 pends it with HCR_EL2.VSE, and the PE keeps it
    pending: NMEA does not unmask a virtual SError (Arm ARM D1.4.6.4.2, the
    vSError masked by PSTATE.A alone), so KVM 6.17+ delivers what the
    hardware would hold."""
    for prof, (deliver, il, _, _) in PROFILES.items():
        name = f"{prof}-set-nmea-a1-{'entered' if deliver else 'pended'}"
        if deliver:
            esr = esr_serror(0x811, il)
            exp = ["vmops == 1", "vmop1.set == ok", "vmop1.entered_el == 1",
                   "vmop1.iss == 0x811", "exceptions == 1", f"ESR_EL1 == {esr:#x}", f"X0 == {esr:#x}",
                   "ELR_EL1 == set", "ledger.taken == 1", "ledger.lost == 0"]
            what = "KVM emulates the entry at once (serror_is_masked: NMEA), where the PE would keep a vSError masked"
        else:
            exp = ["vmops == 1", "vmop1.set == ok", "vmop1.entered_el == 0", "vmop1.iss == 0x811",
                   "exceptions == 0", "HCR_EL2.VSE == 1", "VSESR_EL2 == 0x811", "ledger.pending == 1",
                   "ledger.lost == 0"]
            what = "KVM pends it with HCR_EL2.VSE; NMEA does not unmask a vSError: it stays pending"
        write(name, prof, f"SET on a guest with PSTATE.A = 1 and SCTLR2_EL1.NMEA = 1: {what}",
              (R_NMEA + "; " + R_INJ_NEW + (("; " + R_IL_FIX) if prof == "kvm-7.2" else "")) if deliver
              else R_INJ_OLD + "; ARM-M D1.4.6.4.2 (a vSError is masked by PSTATE.A), SCTLR2_EL1.NMEA (D24.2.170)",
              NMEA_BODY + "\n".join(exp) + "\n", tags="hyp kvm nmea doublefault2")


NESTED_BODY = """[init]
PSTATE.EL = 2                    # the vCPU runs its guest hypervisor (vEL2)
PSTATE.SP = 1
PSTATE.A = {a}
HCR_EL2.AMO = {amo}                  # the guest hypervisor's routing of SErrors
{extra}PC = start

[code]
start:
    nop
set:
    nop
    nop
    {tail}
    end
{guest}
.vector EL2 curr_spx serror
    mrs x0, esr_el2
    end

[events]
at 1: set_events pending=1 has_esr=1 esr=0x811

[expect]
"""


def nested():
    """SET on a vCPU at EL2 (a guest hypervisor): from 6.17 KVM enters the
    SError at vEL2 at once when the guest hypervisor's TGE or AMO routes it
    there and it is unmasked; otherwise KVM holds it (NESTED_SERROR_PENDING
    or its own VSE), which the model's HCR_EL2.VSE never takes at EL2: lost
    at the end, with that reason."""
    for prof, (deliver, il, _, _) in PROFILES.items():
        # AMO = 1, unmasked: entered at vEL2 from 6.17.
        name = f"{prof}-nested-set-at-vel2-amo1-unmasked"
        if deliver:
            esr = esr_serror(0x811, il)
            exp = ["vmop1.set == ok", "vmop1.at_el2 == 1", "vmop1.entered_el == 2", "exceptions == 1",
                   f"ESR_EL2 == {esr:#x}", f"X0 == {esr:#x}", "ELR_EL2 == set", "ledger.taken == 1",
                   "ledger.lost == 0"]
            what = "KVM enters the SError at vEL2 at once (ESR_EL2)"
        else:
            exp = ["vmop1.set == ok", "vmop1.at_el2 == 1", "vmop1.entered_el == 0", "exceptions == 0",
                   "HCR_EL2.VSE == 1", "ledger.lost == 1"]
            what = "KVM pends it with HCR_EL2.VSE, never taken at EL2: lost (pended at EL2)"
        write(name, prof, f"SET on a vCPU at EL2 whose guest hypervisor has HCR_EL2.AMO = 1, PSTATE.A = 0: {what}",
              (R_NESTED if deliver else R_INJ_OLD + "; ARM-M D1.4.6.4.2 (a virtual SError is never taken at EL2)"),
              NESTED_BODY.format(a=0, amo=1, extra="", tail="nop", guest="") + "\n".join(exp) + "\n",
              tags="hyp kvm nested")
        # AMO = 0 (and TGE = 0): undeliverable at EL2.
        name = f"{prof}-nested-set-at-vel2-amo0"
        exp = ["vmop1.set == ok", "vmop1.at_el2 == 1", "vmop1.entered_el == 0", "exceptions == 0",
               "HCR_EL2.VSE == 1", "ledger.pending == 0", "ledger.lost == 1"]
        write(name, prof, "SET on a vCPU at EL2 whose guest hypervisor routes no SError to itself (TGE = AMO = 0): held, never taken at EL2: lost (pended at EL2)",
              R_NESTED if deliver else R_INJ_OLD + "; ARM-M D1.4.6.4.2",
              NESTED_BODY.format(a=0, amo=0, extra="", tail="nop", guest="") + "\n".join(exp) + "\n",
              tags="hyp kvm nested")
        # AMO = 1, masked: pended.
        name = f"{prof}-nested-set-at-vel2-amo1-masked"
        write(name, prof, "SET on a vCPU at EL2 with HCR_EL2.AMO = 1 and PSTATE.A = 1: pended with HCR_EL2.VSE, never taken at EL2: lost (pended at EL2)",
              R_NESTED if deliver else R_INJ_OLD + "; ARM-M D1.4.6.4.2",
              NESTED_BODY.format(a=1, amo=1, extra="", tail="nop", guest="") + "\n".join(exp) + "\n",
              tags="hyp kvm nested")
    for prof in ("kvm-4.19", "kvm-7.2"):
        # Pended at EL2, then the guest hypervisor returns to its guest at
        # EL1 with AMO = 1 and A = 0: taken there, not lost.
        name = f"{prof}-nested-set-at-vel2-eret-to-vel1"
        esr = esr_serror(0x811)
        exp = ["vmop1.set == ok", "vmop1.at_el2 == 1", "vmop1.entered_el == 0", "exceptions == 1",
               f"ESR_EL1 == {esr:#x}", f"X1 == {esr:#x}", "ELR_EL1 == guest", "ledger.taken == 1",
               "ledger.lost == 0"]
        guest = """
guest:
    nop
    end

.vector EL1 lower_a64 serror
    mrs x1, esr_el1
    end

.vector EL1 curr_spx serror
    mrs x1, esr_el1
    end
"""
        write(name, prof, "SET on a vCPU at EL2 with PSTATE.A = 1: pended; the guest hypervisor returns to EL1 with AMO = 1 and PSTATE.A = 0, where the vSError is taken",
              (R_NESTED if prof != "kvm-4.19" else R_INJ_OLD) + "; ARM-M D1.4.6.4.2 (a vSError is taken at EL1 with AMO = 1)",
              NESTED_BODY.format(a=1, amo=1, extra="ELR_EL2 = guest\nSPSR_EL2 = 0x2c5                 # EL1h, A = 0\n",
                                 tail="eret", guest=guest).replace("    end\n\nguest:", "\nguest:") + "\n".join(exp) + "\n",
              tags="hyp kvm nested")


def disr():
    """DISR_EL1 is an ordinary register of KVM's list: it survives a hop
    through a host without RAS."""
    for vmm in ("qemu", "verbatim"):
        name = f"kvm-7.2-disr-survives-noras-hop-{vmm}"
        write(name, "kvm-7.2", f"a deferred vSError's DISR_EL1 (VDISR_EL2) carried RAS -> non-RAS -> RAS through {vmm}: the guest reads it back",
              "Linux arch/arm64/kvm/sys_regs.c sys_reg_descs (DISR_EL1, an ordinary migrated register); " + R_GET,
              DISR_BODY.replace("{vmm}", vmm), tags="hyp kvm migration")


if __name__ == "__main__":
    disr()
    nmea()
    nested()
    set_while_pending()
    get_events()
    atomicity()
    vmms()
    amo()
