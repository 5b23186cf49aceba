// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

/// @notice What operators sign about one evaluation (the EIP-712 struct ZaraEvalResult).
/// @dev status: 0 OK, 1 INVALID_MODEL, 2 EVAL_ERROR. incumbentId 0 names the owner's
///      initial parameters. Scores are wads (18 decimals).
struct EvalResult {
    uint256 taskId;
    uint256 submissionId;
    uint256 incumbentId;
    bytes32 seed;
    uint8 status;
    int256 challengerScore;
    int256 incumbentScore;
    bytes32 outputsDigest;
}

/// @notice Result status codes.
library ResultStatus {
    uint8 internal constant OK = 0;
    uint8 internal constant INVALID_MODEL = 1;
    uint8 internal constant EVAL_ERROR = 2;
}

/// @notice What the AttestationCenter and AvsLogic need from ModelSubmission.
interface IModelSubmission {
    /// @notice Fixes the seed if needed; the submission must be the revealed queue head.
    function prepareVerdict(uint256 submissionId)
        external
        returns (uint256 taskId, bytes32 seed, uint256 seedBlock, uint256 bestId, uint256 fee);
    /// @notice Applies a verdict (AvsLogic only).
    function settle(EvalResult calldata r) external;
    /// @notice Sends settled operator fees to the AttestationCenter (it only).
    function releaseOperatorFees(uint256 amount) external;
}

/// @notice The hook the AttestationCenter calls after a verdict.
interface IAvsLogic {
    /// @notice Settles the verdict's submission (AttestationCenter only).
    function afterVerdict(EvalResult calldata r) external;
}

/// @notice What the AttestationCenter needs from AvsGovernance.
interface IAvsGovernance {
    /// @notice Aggregate G1 key, total stake and number of the active operators.
    function quorumState()
        external
        view
        returns (uint256 apkX, uint256 apkY, uint256 totalStake, uint256 activeCount);
    /// @notice The active operator at an index.
    function activeOperatorAt(uint256 index) external view returns (address);
    /// @notice Whether an operator is active.
    function isActive(address operator) external view returns (bool);
    /// @notice An operator's keys and whether it can be slashed.
    function operatorKeys(address operator)
        external
        view
        returns (uint256[2] memory pkG1, uint256[4] memory pkG2, bool slashable);
    /// @notice Takes an operator's whole stake (AttestationCenter only).
    function slash(address operator) external returns (uint256 amount);
}

/// @notice What AvsGovernance tells the AttestationCenter (the reward ledger).
interface IAttestationCenter {
    /// @notice Reports a change of an operator's active stake (AvsGovernance only), with the
    ///         aggregate G1 key, total stake and count of the active set after the change.
    function onStakeChange(
        address operator,
        bytes32 operatorId,
        uint256 newStake,
        uint256 apkX,
        uint256 apkY,
        uint256 totalStake,
        uint256 activeCount
    ) external;
}
