"""Reading people's handwriting: the interactive drawing pad (``pad``)."""
