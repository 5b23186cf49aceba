// SPDX-License-Identifier: MIT
pragma solidity ^0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {ModelSubmission} from "../../src/ModelSubmission.sol";
import {AttestationCenter} from "../../src/AttestationCenter.sol";

/// @notice An ERC-20 that burns 1% of every transfer (fee-on-transfer).
contract FeeToken is ERC20 {
    constructor() ERC20("Fee Token", "FEE") {}

    function mint(address to, uint256 amount) external {
        _mint(to, amount);
    }

    function _update(address from, address to, uint256 value) internal override {
        if (from != address(0) && to != address(0)) {
            uint256 fee = value / 100;
            super._update(from, address(0), fee);
            value -= fee;
        }
        super._update(from, to, value);
    }
}

/// @notice Tries to withdraw again from inside the ETH it receives.
contract Reenterer {
    ModelSubmission public ms;
    AttestationCenter public ac;
    bool public reentered;
    bool public reentryFailed;

    constructor(ModelSubmission ms_, AttestationCenter ac_) {
        ms = ms_;
        ac = ac_;
    }

    function pull() external {
        ms.withdraw(address(0));
    }

    function pullRewards() external {
        ac.withdraw();
    }

    receive() external payable {
        if (reentered) return;
        reentered = true;
        (bool ok,) = address(ms).call(abi.encodeCall(ModelSubmission.withdraw, (address(0))));
        (bool ok2,) = address(ac).call(abi.encodeCall(AttestationCenter.withdraw, ()));
        reentryFailed = !ok && !ok2;
    }

    function commit(uint256 taskId, bytes32 c) external payable returns (uint256) {
        return ms.commit{value: msg.value}(taskId, c);
    }

    function reveal(uint256 id, string calldata cid, bytes32 salt) external {
        ms.reveal(id, cid, salt);
    }
}

/// @notice Refuses ETH.
contract Refuser {
    function commit(ModelSubmission ms, uint256 taskId, bytes32 c)
        external
        payable
        returns (uint256)
    {
        return ms.commit{value: msg.value}(taskId, c);
    }

    function reveal(ModelSubmission ms, uint256 id, string calldata cid, bytes32 salt) external {
        ms.reveal(id, cid, salt);
    }

    function pull(ModelSubmission ms) external {
        ms.withdraw(address(0));
    }
}
