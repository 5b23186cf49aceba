// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ECDSA} from "@openzeppelin/contracts/utils/cryptography/ECDSA.sol";
import {Math} from "@openzeppelin/contracts/utils/math/Math.sol";
import {ReentrancyGuardTransient} from "@openzeppelin/contracts/utils/ReentrancyGuardTransient.sol";
import {BN254} from "./BN254.sol";
import {EvalResult, IAvsGovernance, IAvsLogic, IModelSubmission} from "./ZaraTypes.sol";

/// @title AttestationCenter
/// @notice Accepts the operators' verdict on a submission: the performer's EIP-712 ECDSA
///         signature and an aggregate BLS signature by at least QUORUM_NUM/QUORUM_DEN of the
///         active stake. Keeps the operators' ETH reward ledger (an accumulator per unit of
///         stake with debits for non-signers, so crediting costs nothing per signer), pays
///         out with withdraw, and slashes equivocating operators with a bounty.
contract AttestationCenter is ReentrancyGuardTransient {
    /// @notice keccak256 of the EIP-712 type of a result.
    bytes32 public constant RESULT_TYPEHASH = keccak256(
        "ZaraEvalResult(uint256 taskId,uint256 submissionId,uint256 incumbentId,bytes32 seed,uint8 status,int256 challengerScore,int256 incumbentScore,bytes32 outputsDigest)"
    );
    bytes32 private constant DOMAIN_TYPEHASH = keccak256(
        "EIP712Domain(string name,string version,uint256 chainId,address verifyingContract)"
    );
    uint256 internal constant BPS = 10_000;
    /// @notice Scale of accRewardPerStake.
    uint256 public constant PRECISION = 1e18;

    IAvsGovernance public immutable governance;
    IModelSubmission public immutable modelSubmission;
    /// @notice Signed stake must satisfy signed * QUORUM_DEN >= total * QUORUM_NUM.
    uint256 public immutable QUORUM_NUM;
    uint256 public immutable QUORUM_DEN;
    /// @notice Share of each evaluation fee for the performer (basis points).
    uint256 public immutable PERFORMER_BPS;
    /// @notice Share of each evaluation fee for the aggregator (basis points).
    uint256 public immutable AGGREGATOR_BPS;
    /// @notice Share of a slashed stake for the reporter of the equivocation (basis points).
    uint256 public immutable BOUNTY_BPS;
    /// @notice Blocks after the seed block during which only the elected performer may sign.
    uint256 public immutable PERFORMER_TIMEOUT;
    bytes32 private immutable _domainSeparator;
    uint256 private immutable _chainId;
    address private immutable _deployer;

    /// @notice The AvsLogic hook called after each verdict (set once by the deployer).
    IAvsLogic public avsLogic;

    /// @notice Sum over verdicts of (signers' share * PRECISION / signed stake).
    uint256 public accRewardPerStake;

    struct Account {
        uint96 stake; // the operator's active stake (0 when not active), mirrored from governance
        uint128 debit; // wei owed back for verdicts it did not sign, since the last checkpoint
    }

    mapping(bytes32 => Account) private _accounts;
    mapping(bytes32 => uint256) private _snapshot;
    /// @notice The operator id of an operator address (its latest registration).
    mapping(address => bytes32) public operatorIdOf;
    /// @notice Credited rewards ready to withdraw, per account (performer, aggregator,
    ///         reporter, and operators' checkpointed signer rewards).
    mapping(address => uint256) public credits;

    event ResultSubmitted(
        uint256 indexed taskId,
        uint256 indexed submissionId,
        bytes32 indexed digest,
        uint8 status,
        address performer,
        address aggregator,
        uint256 signedStake,
        uint256 totalStake,
        uint256 nonSigners
    );
    event RewardsDistributed(
        uint256 indexed submissionId,
        uint256 fee,
        uint256 performerReward,
        uint256 aggregatorReward,
        uint256 signersReward,
        uint256 accRewardPerStake
    );
    event RewardCredited(address indexed account, uint256 amount);
    event RewardsWithdrawn(address indexed account, uint256 amount);
    event EquivocationReported(
        address indexed operator,
        address indexed reporter,
        uint256 indexed submissionId,
        uint256 slashed,
        uint256 bounty
    );

    error NotDeployer();
    error AlreadyInitialized();
    error NotGovernance();
    error BadParams();
    error WrongTask();
    error WrongSeed();
    error StaleIncumbent();
    error BadStatus();
    error ScoreOutOfRange();
    error NoOperators();
    error NotElectedPerformer();
    error PerformerNotActive();
    error NonSignersNotSorted();
    error NonSignerNotActive();
    error QuorumNotReached();
    error BadAggregateSignature();
    error NotEquivocation();
    error BadSignature();
    error NotSlashable();
    error NothingToWithdraw();
    error TransferFailed();
    error UnexpectedEther();

    /// @param quorumNum, quorumDen the quorum fraction (2, 3)
    /// @param performerBps, aggregatorBps fee shares; the signers get the rest
    /// @param bountyBps share of a slashed stake for the reporter
    /// @param performerTimeout blocks after the seed block before any active operator may perform
    constructor(
        address governance_,
        address modelSubmission_,
        uint256 quorumNum,
        uint256 quorumDen,
        uint256 performerBps,
        uint256 aggregatorBps,
        uint256 bountyBps,
        uint256 performerTimeout
    ) {
        if (
            quorumDen == 0 || quorumNum == 0 || quorumNum > quorumDen
                || performerBps + aggregatorBps > BPS || bountyBps > BPS
        ) revert BadParams();
        governance = IAvsGovernance(governance_);
        modelSubmission = IModelSubmission(modelSubmission_);
        QUORUM_NUM = quorumNum;
        QUORUM_DEN = quorumDen;
        PERFORMER_BPS = performerBps;
        AGGREGATOR_BPS = aggregatorBps;
        BOUNTY_BPS = bountyBps;
        PERFORMER_TIMEOUT = performerTimeout;
        _chainId = block.chainid;
        _domainSeparator = _buildDomainSeparator();
        _deployer = msg.sender;
    }

    /// @notice Wires the AvsLogic hook; callable once, by the deployer.
    function initialize(address avsLogic_) external {
        if (msg.sender != _deployer) revert NotDeployer();
        if (address(avsLogic) != address(0)) revert AlreadyInitialized();
        avsLogic = IAvsLogic(avsLogic_);
    }

    /// @notice Accepts fee and slashing transfers from ModelSubmission and AvsGovernance.
    receive() external payable {
        if (msg.sender != address(modelSubmission) && msg.sender != address(governance)) {
            revert UnexpectedEther();
        }
    }

    // ---- EIP-712 ----------------------------------------------------------------------------

    function _buildDomainSeparator() private view returns (bytes32) {
        return keccak256(
            abi.encode(
                DOMAIN_TYPEHASH,
                keccak256("Zarathustra"),
                keccak256("1"),
                block.chainid,
                address(this)
            )
        );
    }

    /// @notice The EIP-712 domain separator {name "Zarathustra", version "1", chainId, this}.
    function domainSeparator() public view returns (bytes32) {
        return block.chainid == _chainId ? _domainSeparator : _buildDomainSeparator();
    }

    /// @notice The 32 bytes operators sign (ECDSA by the performer, BLS by the attesters):
    ///         keccak256(0x1901 ‖ domainSeparator ‖ keccak256(abi.encode(RESULT_TYPEHASH, r...))).
    function resultDigest(EvalResult calldata r) public view returns (bytes32) {
        bytes32 structHash = keccak256(
            abi.encode(
                RESULT_TYPEHASH,
                r.taskId,
                r.submissionId,
                r.incumbentId,
                r.seed,
                r.status,
                r.challengerScore,
                r.incumbentScore,
                r.outputsDigest
            )
        );
        return keccak256(abi.encodePacked(hex"1901", domainSeparator(), structHash));
    }

    // ---- verdicts ---------------------------------------------------------------------------

    /// @notice Submits the network's verdict on the head submission of a task.
    /// @param r the result, as every signer computed it
    /// @param performerSig the elected performer's 65-byte ECDSA signature (r ‖ s ‖ v) of
    ///        resultDigest(r); after PERFORMER_TIMEOUT blocks past the seed block any active
    ///        operator may be the performer
    /// @param sigma the aggregate BLS signature of resultDigest(r) by all signers (G1)
    /// @param apkG2 the signers' aggregate G2 key, precompile order
    /// @param nonSignerPks G1 keys of the active operators that did not sign, sorted by
    ///        strictly increasing operator id keccak256(abi.encode(x, y))
    function submitResult(
        EvalResult calldata r,
        bytes calldata performerSig,
        uint256[2] calldata sigma,
        uint256[4] calldata apkG2,
        uint256[2][] calldata nonSignerPks
    ) external nonReentrant {
        if (r.status > 2) revert BadStatus();
        Verdict memory v;
        uint256 seedBlock;
        uint256 bestId;
        (v.taskId, v.seed, seedBlock, bestId, v.fee) =
            modelSubmission.prepareVerdict(r.submissionId);
        if (r.taskId != v.taskId) revert WrongTask();
        if (r.seed != v.seed) revert WrongSeed();
        if (r.incumbentId != bestId) revert StaleIncumbent();
        v.digest = resultDigest(r);
        uint256 count;
        (v.apk[0], v.apk[1], v.totalStake, count) = governance.quorumState();
        if (count == 0) revert NoOperators();
        v.performer = _performer(v.digest, performerSig, v.seed, seedBlock, count);

        // Signers = every active operator except the listed non-signers.
        (uint256 missing, uint256[2] memory nsSum) = _nonSigners(nonSignerPks);
        v.signed = v.totalStake - missing;
        if (v.signed * QUORUM_DEN < v.totalStake * QUORUM_NUM) revert QuorumNotReached();
        if (!BN254.verify(v.digest, BN254.add(v.apk, BN254.negate(nsSum)), apkG2, sigma)) {
            revert BadAggregateSignature();
        }

        _distribute(r.submissionId, v.fee, v.performer, v.signed, nonSignerPks);
        _emitResult(r, v, nonSignerPks.length);
        avsLogic.afterVerdict(r);
    }

    struct Verdict {
        uint256 taskId;
        bytes32 seed;
        uint256 fee;
        bytes32 digest;
        uint256[2] apk;
        uint256 totalStake;
        uint256 signed;
        address performer;
    }

    function _emitResult(EvalResult calldata r, Verdict memory v, uint256 nonSigners) private {
        emit ResultSubmitted(
            v.taskId,
            r.submissionId,
            v.digest,
            r.status,
            v.performer,
            msg.sender,
            v.signed,
            v.totalStake,
            nonSigners
        );
    }

    function _performer(
        bytes32 digest,
        bytes calldata sig,
        bytes32 seed,
        uint256 seedBlock,
        uint256 count
    ) private view returns (address performer) {
        performer = ECDSA.recoverCalldata(digest, sig);
        if (block.number <= seedBlock + PERFORMER_TIMEOUT) {
            if (performer != governance.activeOperatorAt(uint256(seed) % count)) {
                revert NotElectedPerformer();
            }
        } else if (!governance.isActive(performer)) {
            revert PerformerNotActive();
        }
    }

    function _nonSigners(uint256[2][] calldata pks)
        private
        view
        returns (uint256 missing, uint256[2] memory sum)
    {
        uint256 prev;
        for (uint256 i = 0; i < pks.length; i++) {
            bytes32 id = keccak256(abi.encode(pks[i][0], pks[i][1]));
            if (uint256(id) <= prev) revert NonSignersNotSorted();
            prev = uint256(id);
            uint256 st = _accounts[id].stake;
            if (st == 0) revert NonSignerNotActive();
            missing += st;
            sum = BN254.add(sum, pks[i]);
        }
    }

    function _distribute(
        uint256 submissionId,
        uint256 fee,
        address performer,
        uint256 signed,
        uint256[2][] calldata nonSignerPks
    ) private {
        uint256 toPerformer = fee * PERFORMER_BPS / BPS;
        uint256 toAggregator = fee * AGGREGATOR_BPS / BPS;
        uint256 toSigners = fee - toPerformer - toAggregator;
        uint256 delta = toSigners * PRECISION / signed;
        uint256 distributed = Math.mulDiv(delta, signed, PRECISION);
        // rounding dust goes to the aggregator, so every wei of the fee is owed to someone
        toAggregator += toSigners - distributed;
        if (delta != 0) {
            accRewardPerStake += delta;
            for (uint256 i = 0; i < nonSignerPks.length; i++) {
                Account storage a =
                    _accounts[keccak256(abi.encode(nonSignerPks[i][0], nonSignerPks[i][1]))];
                a.debit += uint128(Math.mulDiv(a.stake, delta, PRECISION, Math.Rounding.Ceil));
            }
        }
        if (toPerformer != 0) {
            credits[performer] += toPerformer;
            emit RewardCredited(performer, toPerformer);
        }
        if (toAggregator != 0) {
            credits[msg.sender] += toAggregator;
            emit RewardCredited(msg.sender, toAggregator);
        }
        emit RewardsDistributed(
            submissionId, fee, toPerformer, toAggregator, distributed, accRewardPerStake
        );
    }

    // ---- operator accounts ------------------------------------------------------------------

    /// @notice AvsGovernance reports every change of an operator's active stake (register,
    ///         top-up, exit, slash); the operator's rewards so far are checkpointed first.
    function onStakeChange(address operator, bytes32 operatorId, uint256 newStake) external {
        if (msg.sender != address(governance)) revert NotGovernance();
        _checkpoint(operator, operatorId);
        _accounts[operatorId].stake = uint96(newStake);
        operatorIdOf[operator] = operatorId;
    }

    function _pending(bytes32 id) private view returns (uint256) {
        Account memory a = _accounts[id];
        uint256 earned = Math.mulDiv(a.stake, accRewardPerStake - _snapshot[id], PRECISION);
        return earned > a.debit ? earned - a.debit : 0;
    }

    function _checkpoint(address operator, bytes32 id) private {
        uint256 p = _pending(id);
        _snapshot[id] = accRewardPerStake;
        _accounts[id].debit = 0;
        if (p != 0) {
            credits[operator] += p;
            emit RewardCredited(operator, p);
        }
    }

    /// @notice What an account can withdraw now, including signer rewards not yet checkpointed.
    function withdrawable(address who) external view returns (uint256) {
        bytes32 id = operatorIdOf[who];
        return credits[who] + (id == 0 ? 0 : _pending(id));
    }

    /// @notice The reward account of an operator id: active stake, debit, snapshot.
    function account(bytes32 operatorId)
        external
        view
        returns (uint256 stake, uint256 debit, uint256 snapshot)
    {
        Account memory a = _accounts[operatorId];
        return (a.stake, a.debit, _snapshot[operatorId]);
    }

    /// @notice Pays msg.sender all its rewards (ETH).
    function withdraw() external nonReentrant {
        bytes32 id = operatorIdOf[msg.sender];
        if (id != 0) _checkpoint(msg.sender, id);
        uint256 amount = credits[msg.sender];
        if (amount == 0) revert NothingToWithdraw();
        credits[msg.sender] = 0;
        if (address(this).balance < amount) modelSubmission.releaseOperatorFees();
        emit RewardsWithdrawn(msg.sender, amount);
        (bool ok,) = msg.sender.call{value: amount}("");
        if (!ok) revert TransferFailed();
    }

    // ---- equivocation -----------------------------------------------------------------------

    /// @notice Proof that `operator` BLS-signed two different results for the same evaluation
    ///         (same taskId, submissionId, incumbentId and seed). The operator's whole stake is
    ///         slashed; BOUNTY_BPS of it is credited to msg.sender, the rest is shared by the
    ///         active operators per unit of stake.
    function reportEquivocation(
        address operator,
        EvalResult calldata a,
        uint256[2] calldata sigA,
        EvalResult calldata b,
        uint256[2] calldata sigB
    ) external nonReentrant {
        if (
            a.taskId != b.taskId || a.submissionId != b.submissionId
                || a.incumbentId != b.incumbentId || a.seed != b.seed
        ) revert NotEquivocation();
        bytes32 da = resultDigest(a);
        bytes32 db = resultDigest(b);
        if (da == db) revert NotEquivocation();
        (uint256[2] memory pk1, uint256[4] memory pk2, bool slashable) =
            governance.operatorKeys(operator);
        if (!slashable) revert NotSlashable();
        if (!BN254.verify(da, pk1, pk2, sigA) || !BN254.verify(db, pk1, pk2, sigB)) {
            revert BadSignature();
        }
        uint256 amount = governance.slash(operator);
        uint256 bounty = amount * BOUNTY_BPS / BPS;
        uint256 rest = amount - bounty;
        (,, uint256 total,) = governance.quorumState();
        if (rest != 0 && total != 0) {
            uint256 delta = rest * PRECISION / total;
            accRewardPerStake += delta;
            rest -= Math.mulDiv(delta, total, PRECISION);
        }
        bounty += rest;
        credits[msg.sender] += bounty;
        emit RewardCredited(msg.sender, bounty);
        emit EquivocationReported(operator, msg.sender, a.submissionId, amount, bounty);
    }
}
