// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {EvalResult, IAvsLogic, IModelSubmission} from "./ZaraTypes.sol";

/// @title AvsLogic
/// @notice The hook the AttestationCenter calls after it accepted a verdict: settles the
///         submission in ModelSubmission. Only the AttestationCenter may call it.
contract AvsLogic is IAvsLogic {
    address public immutable attestationCenter;
    IModelSubmission public immutable modelSubmission;

    error NotAttestationCenter();

    constructor(address attestationCenter_, address modelSubmission_) {
        attestationCenter = attestationCenter_;
        modelSubmission = IModelSubmission(modelSubmission_);
    }

    /// @notice Settles the submission the verdict is about (only the AttestationCenter).
    function afterVerdict(EvalResult calldata r) external {
        if (msg.sender != attestationCenter) revert NotAttestationCenter();
        modelSubmission.settle(r);
    }
}
